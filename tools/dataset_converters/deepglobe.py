"""Convert DeepGlobe Road Extraction to the mmseg layout with connectivity labels.

Input: a folder of ``<id>_sat.jpg`` + ``<id>_mask.png`` (the challenge ``train`` set;
masks RGB 0/255, binarised at 128). Output (see mmkd_rs.datasets.roads.layout)::

    python tools/dataset_converters/deepglobe.py data/deepglobe/train -o data/deepglobe_roads \
        --val-ratio 0.1 --test-ratio 0.1
    python tools/dataset_converters/deepglobe.py data/deepglobe/valid -o data/deepglobe_valid \
        --split test        # a whole folder into one split

Connectivity labels come from the skeleton graph of each mask. The output must
lie outside the input; an existing, non-empty output folder is refused unless
``--overwrite`` is given (its layout folders are then deleted first), and so is
a split that would be empty (``--split`` writes the whole folder as one split).
"""
import argparse
import glob
import os
import os.path as osp
import shutil

from mmkd_rs.utils.errors import DataFileError, DataFileNotFoundError, UserError, user_errors

#: The folders ``write_road_sample`` fills (see mmkd_rs.datasets.roads.layout).
LAYOUT_DIRS = ('img_dir', 'ann_dir', 'conn_dir', 'graph_dir', 'centreline_dir', 'junction_dir')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('src', help='folder with <id>_sat.jpg and <id>_mask.png')
    parser.add_argument('-o', '--out', required=True, help='output data root')
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
    parser.add_argument('--threshold', type=int, default=128,
                        help='mask grey level (0-255) from which a pixel is road')
    parser.add_argument('--scheme', default='topology', choices=['topology', 'direction'],
                        help='connectivity label scheme (see mmkd_rs.datasets.roads)')
    parser.add_argument('--junction-radius', type=float, default=8.0,
                        help='radius of the junction zones, pixels')
    parser.add_argument('--dead-end-radius', type=float, default=6.0,
                        help='radius of the dead-end zones, pixels')
    parser.add_argument('--overwrite', action='store_true',
                        help='replace the converted data in an existing output folder')
    return parser.parse_args(argv)


def read_pair(src, name, threshold):
    import cv2
    import numpy as np

    from mmkd_rs.utils.image_io import imread
    img_path = osp.join(src, f'{name}_sat.jpg')
    mask_path = osp.join(src, f'{name}_mask.png')
    if not osp.isfile(mask_path):
        raise DataFileNotFoundError(f'"{img_path}" has no mask "{mask_path}"')
    image = imread(img_path, cv2.IMREAD_COLOR)
    mask = imread(mask_path, cv2.IMREAD_GRAYSCALE)
    if image is None or mask is None:
        raise DataFileError(f'could not decode "{img_path}" or "{mask_path}"')
    if image.shape[:2] != mask.shape:
        raise DataFileError(f'"{img_path}" is {image.shape[0]}x{image.shape[1]} but '
                         f'"{mask_path}" is {mask.shape[0]}x{mask.shape[1]}')
    return image[..., ::-1], (mask >= threshold).astype(np.uint8)


def _inside(path, folder):
    path, folder = osp.realpath(path), osp.realpath(folder)
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def claim_output(src, out, overwrite):
    """Refuse an output overlapping the input, or holding data without ``overwrite``."""
    if _inside(out, src) or _inside(src, out):
        raise UserError(f'the output "{out}" overlaps the input "{src}"; a converter never '
                        'writes into its input: choose an output folder outside it (-o).')
    if not osp.isdir(out) or not os.listdir(out):
        return
    if not overwrite:
        raise UserError(f'the output folder "{out}" already exists and is not empty; '
                        'converting would overwrite it. Choose a new output folder (-o) or '
                        'pass --overwrite to replace the converted data in it.')
    for folder in LAYOUT_DIRS:
        shutil.rmtree(osp.join(out, folder), ignore_errors=True)


def main(argv=None):
    args = parse_args(argv)
    with user_errors('deepglobe'):
        convert(args)


def convert(args):
    from tqdm import tqdm

    import mmkd_rs  # noqa: F401
    from mmkd_rs.datasets.roads.layout import plan_splits, raster_tile_labels, write_road_sample
    names = [osp.basename(p)[:-len('_sat.jpg')]
             for p in glob.glob(osp.join(args.src, '*_sat.jpg'))]
    if not names:
        raise UserError(f'no *_sat.jpg found in "{args.src}"')
    splits = plan_splits(names, args.src, args.val_ratio, args.test_ratio, args.seed,
                         whole=args.split)
    claim_output(args.src, args.out, args.overwrite)
    conn_cfg = dict(scheme=args.scheme, junction_radius_px=args.junction_radius,
                    dead_end_radius_px=args.dead_end_radius)
    for split, split_list in splits.items():
        for name in tqdm(split_list, desc=f'deepglobe {split}'):
            _, mask = read_pair(args.src, name, args.threshold)
            write_road_sample(args.out, split, name, raster_tile_labels(mask, conn_cfg),
                              image=None, img_ext='.jpg')
            # keep the original JPEG bytes (no re-encoding loss)
            os.makedirs(osp.join(args.out, 'img_dir', split), exist_ok=True)
            shutil.copyfile(osp.join(args.src, f'{name}_sat.jpg'),
                            osp.join(args.out, 'img_dir', split, name + '.jpg'))
    print(f'wrote {len(names)} samples to {args.out}')


if __name__ == '__main__':
    main()
