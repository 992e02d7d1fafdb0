"""Convert Massachusetts Roads to the mmseg layout with connectivity labels.

Input layout (as distributed): ``<root>/{training,validation,test}/sat/<id>.tiff`` and
``<root>/{training,validation,test}/map/<id>.tif`` (1500 x 1500, map 0/255)::

    python tools/dataset_converters/massachusetts.py data/massachusetts -o data/mass_roads

Splits map to ``train``/``val``/``test``; connectivity labels come from the mask
skeleton graph. Pixels with white (255,255,255) no-data in the image are kept.
"""
import argparse
import glob
import os.path as osp

from mmkd_rs.utils.errors import DataFileError, DataFileNotFoundError, UserError, user_errors

SPLITS = {'training': 'train', 'validation': 'val', 'test': 'test'}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('root', help='folder holding training/ validation/ test/')
    parser.add_argument('-o', '--out', required=True, help='output data root')
    parser.add_argument('--scheme', default='topology', choices=['topology', 'direction'],
                        help='connectivity label scheme (see mmkd_rs.datasets.roads)')
    parser.add_argument('--junction-radius', type=float, default=6.0,
                        help='radius of the junction zones, pixels (1 m/px)')
    parser.add_argument('--dead-end-radius', type=float, default=4.0,
                        help='radius of the dead-end zones, pixels (1 m/px)')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    with user_errors('massachusetts'):
        convert(args)


def convert(args):
    import cv2
    import numpy as np
    from tqdm import tqdm

    import mmkd_rs  # noqa: F401
    from mmkd_rs.datasets.roads.layout import raster_tile_labels, write_road_sample
    from mmkd_rs.utils.image_io import imread
    conn_cfg = dict(scheme=args.scheme, junction_radius_px=args.junction_radius,
                    dead_end_radius_px=args.dead_end_radius)
    total = 0
    for src_split, split in SPLITS.items():
        sats = sorted(glob.glob(osp.join(args.root, src_split, 'sat', '*.tiff')))
        for sat in tqdm(sats, desc=f'massachusetts {split}'):
            name = osp.basename(sat)[:-len('.tiff')]
            gt = osp.join(args.root, src_split, 'map', name + '.tif')
            if not osp.isfile(gt):
                raise DataFileNotFoundError(f'"{sat}" has no road map "{gt}"')
            image, mask = imread(sat, cv2.IMREAD_COLOR), imread(gt, cv2.IMREAD_GRAYSCALE)
            if image is None or mask is None:
                raise DataFileError(f'could not decode "{sat}" or "{gt}"')
            if image.shape[:2] != mask.shape:
                raise DataFileError(f'"{sat}" is {image.shape[0]}x{image.shape[1]} but "{gt}" '
                                    f'is {mask.shape[0]}x{mask.shape[1]}')
            mask = (mask >= 128).astype(np.uint8)
            write_road_sample(args.out, split, name, raster_tile_labels(mask, conn_cfg),
                              image=image[..., ::-1])
            total += 1
    if total == 0:
        raise UserError(f'no <split>/sat/*.tiff found under "{args.root}"')
    print(f'wrote {total} samples to {args.out}')


if __name__ == '__main__':
    main()
