"""Peak memory and time of ``tools/infer.py`` on a large georeferenced pair.

Writes a ``--size`` x ``--size`` pair of 3-band uint8 GeoTIFFs (UTM 31N,
0.5 m/px, tiled, deflate) by tiling the 256 px tiles of a synthetic LEVIR-CD
split over the scene (the same tile at the same place in both dates, so the
scene holds real buildings and real changes), then runs ``tools/infer.py``
on it in a child process with a change-detection checkpoint and reports its
wall time, its peak resident memory (``ru_maxrss`` of the child) and the
outputs: the mask GeoTIFF (same CRS, transform and size as the input) and the
change polygons (GeoJSON, count and CRS).  The scene is never held in memory
here either: it is written tile row by tile row.

    python benchmarks/infer_large.py CONFIG CHECKPOINT --size 20000 \\
        --tiles data/quick/levir_cd_256/test --work-dir work_dirs/infer_large

Prints one JSON object (also written to ``<work-dir>/infer_large.json``).
"""
import argparse
import glob
import json
import os
import os.path as osp
import resource
import subprocess
import sys
import time

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('config', help='change-detection config (3-band dates)')
    p.add_argument('checkpoint', help='its checkpoint (segmentor, student or distillation)')
    p.add_argument('--size', type=int, default=20000, help='scene side in pixels')
    p.add_argument('--tiles', required=True,
                   help='split folder of a LEVIR-CD layout (A/, B/ with 256 px PNGs)')
    p.add_argument('--tile-size', type=int, default=1024, help='tools/infer.py --tile-size')
    p.add_argument('--threads', type=int, default=2, help='torch threads of the child')
    p.add_argument('--device', default='cpu', help="tools/infer.py --device (e.g. 'cuda:0')")
    p.add_argument('--compress', default='deflate',
                   help="GeoTIFF compression of the scene ('none' for plain)")
    p.add_argument('--work-dir', default='work_dirs/infer_large')
    p.add_argument('--keep', action='store_true', help='keep the scene and the outputs')
    return p.parse_args(argv)


def write_scene(tiles_dir: str, out_dir: str, size: int, compress: str = 'deflate') -> tuple:
    """Two GeoTIFFs of ``size`` px tiled from the split's A / B tiles; returns
    their paths and the rasterio transform."""
    import numpy as np
    import rasterio
    from PIL import Image
    from rasterio.transform import from_origin

    names = sorted(osp.basename(p) for p in glob.glob(osp.join(tiles_dir, 'A', '*.png')))
    if not names:
        raise SystemExit(f'no A/*.png under "{tiles_dir}"')
    tiles = {d: [np.asarray(Image.open(osp.join(tiles_dir, d, n)).convert('RGB'))
                 for n in names] for d in ('A', 'B')}
    side = tiles['A'][0].shape[0]
    transform = from_origin(600000.0, 5800000.0, 0.5, 0.5)
    paths = []
    for date in ('A', 'B'):
        path = osp.join(out_dir, f'scene_{date}.tif')
        profile = dict(driver='GTiff', height=size, width=size, count=3, dtype='uint8',
                       crs='EPSG:32631', transform=transform, tiled=True, blockxsize=256,
                       blockysize=256)
        if compress != 'none':
            profile['compress'] = compress
        with rasterio.open(path, 'w', **profile) as dst:
            per_row = -(-size // side)
            for row in range(per_row):
                h = min(side, size - row * side)
                strip = np.concatenate([tiles[date][(row * per_row + col) % len(names)]
                                        for col in range(per_row)], axis=1)[:h, :size]
                dst.write(np.moveaxis(strip, -1, 0),
                          window=rasterio.windows.Window(0, row * side, size, h))
        paths.append(path)
    return paths, transform


def main(argv=None) -> dict:
    args = parse_args(argv)
    os.makedirs(args.work_dir, exist_ok=True)
    start = time.perf_counter()
    (a, b), transform = write_scene(args.tiles, args.work_dir, args.size, args.compress)
    written_s = time.perf_counter() - start
    print(f'scene of {args.size} px written in {written_s:.1f} s', flush=True)
    out = osp.join(args.work_dir, 'out')
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads), MKL_NUM_THREADS=str(args.threads))
    cmd = [sys.executable, osp.join(REPO, 'tools', 'infer.py'), args.config, args.checkpoint,
           a, b, '--out', out, '--tile-size', str(args.tile_size), '--no-progress',
           '--device', args.device]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode:
        raise SystemExit(f'tools/infer.py failed ({proc.returncode}):\n{proc.stderr[-3000:]}')
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss   # KiB on Linux

    import rasterio
    masks = glob.glob(osp.join(out, '*_mask.tif'))
    with rasterio.open(masks[0]) as ds:
        mask = dict(path=osp.basename(masks[0]), crs=ds.crs.to_string(),
                    same_transform=ds.transform == transform,
                    shape=[ds.height, ds.width])
    polygons = glob.glob(osp.join(out, '*_polygons.geojson'))
    vectors = None
    if polygons:
        with open(polygons[0]) as f:
            collection = json.load(f)
        vectors = dict(path=osp.basename(polygons[0]), features=len(collection['features']),
                       crs=(collection.get('crs') or {}).get('properties', {}).get('name'))
    result = dict(size=args.size, tile_size=args.tile_size, threads=args.threads,
                  device=args.device,
                  scene_write_s=round(written_s, 1), infer_wall_s=round(wall, 1),
                  infer_peak_rss_mib=round(peak_kib / 1024, 1),
                  scene_mib_per_date=round(args.size ** 2 * 3 / 2 ** 20, 1),
                  mask=mask, vectors=vectors)
    with open(osp.join(args.work_dir, 'infer_large.json'), 'w') as f:
        json.dump(result, f, indent=2)
    if not args.keep:
        for path in (a, b, *glob.glob(osp.join(out, '*'))):
            os.remove(path)
    print(json.dumps(result, indent=2))
    return result


if __name__ == '__main__':
    main()
