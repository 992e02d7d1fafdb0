"""Convert SpaceNet 3 road tiles (GeoTIFF + centreline GeoJSON) to the mmseg layout.

Per tile it writes the 8-bit RGB image (16-bit PanSharpen/PAN inputs are percentile
stretched), the road mask (centrelines buffered in metres in the local UTM zone),
the centreline and junction rasters, the connectivity label and the road graph (JSON,
pixel coordinates); see mmkd_rs.datasets.roads.layout for the folders::

    python tools/dataset_converters/spacenet3.py \
        --img-dir AOI_2_Vegas_Train/RGB-PanSharpen \
        --geojson-dir AOI_2_Vegas_Train/geojson/spacenetroads -o data/spacenet3_roads

Images and GeoJSONs are paired by their ``AOI_<n>_<city>_img<k>`` token, also when
other words separate ``img<k>`` from the city, as in the names the dataset ships
(``SN3_roads_train_AOI_2_Vegas_PS-RGB_img1.tif`` and
``SN3_roads_train_AOI_2_Vegas_geojson_roads_img1.geojson``, both ``AOI_2_Vegas_img1``).
With ``--labels-only`` the GeoTIFFs only provide the grid (e.g. reference masks) and
no image is written.
"""
import argparse
import glob
import os.path as osp
import re

from mmkd_rs.utils.errors import DataFileError, DataFileNotFoundError, user_errors

# AOI_<n>_<city>, then (after any other words) img<k>
TILE_ID = re.compile(r'(AOI_\d+_[A-Za-z]+)_(?:\S*?_)?(img\d+)(?!\d)')


def tile_id(name):
    """``'AOI_<n>_<city>_img<k>'`` of a file name, or None."""
    match = TILE_ID.search(name)
    return f'{match.group(1)}_{match.group(2)}' if match else None


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--img-dir', required=True, help='folder of GeoTIFF tiles')
    parser.add_argument('--geojson-dir', required=True, help='folder of road GeoJSONs')
    parser.add_argument('-o', '--out', required=True, help='output data root')
    parser.add_argument('--width-m', type=float, default=6.0,
                        help='road width in metres (ignored with --lane-width-m)')
    parser.add_argument('--lane-width-m', type=float, default=None,
                        help='width = lane_number x this (SpaceNet property)')
    parser.add_argument('--bands', type=int, nargs='+', default=None,
                        help='1-based bands to read (default first three, or the PAN band)')
    parser.add_argument('--scheme', default='topology', choices=['topology', 'direction'],
                        help='connectivity label scheme (see mmkd_rs.datasets.roads)')
    parser.add_argument('--junction-radius-m', type=float, default=3.0,
                        help='radius of the junction zones, metres')
    parser.add_argument('--dead-end-radius-m', type=float, default=2.0,
                        help='radius of the dead-end zones, metres')
    parser.add_argument('--snap-m', type=float, default=5.0,
                        help='merge line ends closer than this into one node')
    parser.add_argument('--val-ratio', type=float, default=0.1,
                        help='share of the samples drawn for validation (0-1; default 0.1)')
    parser.add_argument('--test-ratio', type=float, default=0.0,
                        help='share of the samples drawn for a test split (0-1; default 0: '
                        'no test split)')
    parser.add_argument('--split', choices=['train', 'val', 'test'],
                        help='put every sample of the folder into this one split (e.g. a '
                        'separate validation or test folder) instead of drawing splits')
    parser.add_argument('--seed', type=int, default=0,
                        help='seed of the split draw (the same seed, the same split)')
    parser.add_argument('--labels-only', action='store_true',
                        help='use the GeoTIFFs as grids only; write no images')
    return parser.parse_args(argv)


def pair_tiles(img_dir, geojson_dir):
    """dict tile id -> (tif path, geojson path); raises when one side is missing."""
    def index(paths, kind):
        out = {}
        for p in paths:
            key = tile_id(osp.basename(p))
            if key is None:
                raise DataFileError(
                    f'{kind} "{p}" has no AOI_<n>_<city>_img<k> token in its name (e.g. '
                    'RGB-PanSharpen_AOI_2_Vegas_img1.tif or '
                    'SN3_roads_train_AOI_2_Vegas_PS-RGB_img1.tif): images and GeoJSONs are '
                    'paired by it. Rename the file or move it out of the folder.')
            if key in out:
                raise DataFileError(f'{kind}s "{out[key]}" and "{p}" are both tile {key}')
            out[key] = p
        return out
    tifs = index(sorted(glob.glob(osp.join(img_dir, '*.tif'))), 'image')
    jsons = index(sorted(glob.glob(osp.join(geojson_dir, '*.geojson'))), 'GeoJSON')
    if not tifs:
        raise DataFileNotFoundError(f'no *.tif in "{img_dir}"')
    missing = sorted(set(tifs) - set(jsons))
    if missing:
        raise DataFileNotFoundError(
            f'{len(missing)} tile(s) have no GeoJSON in "{geojson_dir}", e.g. '
            f'{", ".join(tifs[k] for k in missing[:3])}')
    return {k: (tifs[k], jsons[k]) for k in tifs}


def main(argv=None):
    args = parse_args(argv)
    with user_errors('spacenet3'):
        convert(args)


def convert(args):
    from tqdm import tqdm

    import mmkd_rs  # noqa: F401
    from mmkd_rs.datasets.roads.geo import read_geotiff_rgb
    from mmkd_rs.datasets.roads.layout import plan_splits, write_road_sample
    from mmkd_rs.datasets.roads.tile_labels import geo_tile_labels
    tiles = pair_tiles(args.img_dir, args.geojson_dir)
    conn_cfg = dict(scheme=args.scheme, junction_radius_m=args.junction_radius_m,
                    dead_end_radius_m=args.dead_end_radius_m)
    width_m = None if args.lane_width_m else args.width_m
    splits = plan_splits(list(tiles), args.img_dir, args.val_ratio, args.test_ratio,
                         args.seed, whole=args.split)
    for split, names in splits.items():
        for name in tqdm(names, desc=f'spacenet3 {split}'):
            tif, geojson = tiles[name]
            image, profile = read_geotiff_rgb(tif, bands=args.bands)
            labels = geo_tile_labels(geojson, profile, width_m=width_m,
                                     lane_width_m=args.lane_width_m, snap_m=args.snap_m,
                                     conn_cfg=conn_cfg)
            write_road_sample(args.out, split, name, labels,
                              image=None if args.labels_only else image)
    print(f'wrote {len(tiles)} tiles to {args.out}')


if __name__ == '__main__':
    main()
