"""Inspect the dataset of a config before training, in one pass over the files.

Example::

    python tools/misc/check_dataset.py configs/_templates_/changedet_own-data.py

For every split (train / val / test dataloaders) it reports the number of
samples, image sizes, band counts and dtypes, CRSs, the share of nodata
pixels, the label values (0/1 or 0/255 change masks, road masks) or the
footprint counts (GeoJSON), and whether the dates / modalities of each
sample share one pixel grid (CRS, transform, size). It then prints the
per-band mean and std of the training images, ready to paste into the
config (SAR in dB, after the config's SARToDecibel), and compares what it
found with the config: band counts, label format, 8-bit-only transforms.

Images are read in strips, so memory stays bounded whatever the tile size.
Exit status: 0 when the config fits the data, 1 when a problem is listed,
2 for user errors (a missing dataset or config).
"""
import argparse
import json
import os.path as osp
import sys
import warnings
from collections import Counter

import numpy as np
from mmengine.config import DictAction

import mmkd_rs  # noqa: F401
from mmkd_rs.utils.errors import UserError, user_errors

SPLITS = ('train', 'val', 'test')
VECTOR_LABELS = ('.geojson', '.json')
STRIP_PIXELS = 1 << 22            # pixels x bands read at a time


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', help='config file')
    parser.add_argument('--splits', nargs='+', default=list(SPLITS), choices=SPLITS)
    parser.add_argument('--json', help='also write the report as JSON to this file')
    parser.add_argument('--no-progress', action='store_true', help='no progress bar')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override settings in the config, key=value pairs')
    return parser.parse_args(argv)


# ---------------------------------------------------------------- config side
def _transforms(ds_cfg) -> dict:
    """Type -> first transform config of the dataset's pipeline."""
    out = {}
    for t in ds_cfg.get('pipeline') or []:
        out.setdefault(t.get('type'), dict(t))
    return out


def _modalities(info: dict) -> dict:
    """Name -> image path of one data info (dates, modalities or the image)."""
    if info.get('sar_path'):
        return {k: info[f'{k.lower()}_path'] for k in ('SAR', 'EO')
                if info.get(f'{k.lower()}_path')}
    if info.get('img_path2'):
        return dict(A=info['img_path'], B=info['img_path2'])
    return dict(image=info['img_path'])


def _build_splits(cfg, splits):
    """``[(split, dataset or name of the split it repeats)]``."""
    from mmkd_rs.registry import DATASETS
    from mmkd_rs.utils.tool_utils import check_data_roots, innermost_dataset_cfg
    built, seen = [], {}
    for split in splits:
        loader = cfg.get(f'{split}_dataloader')
        if not loader:
            continue
        check_data_roots(cfg, (f'{split}_dataloader', ))
        ds_cfg = innermost_dataset_cfg(loader['dataset'].to_dict())
        key = json.dumps({k: v for k, v in ds_cfg.items() if k != 'pipeline'}, sort_keys=True,
                         default=str)
        if key in seen:
            built.append((split, seen[key], ds_cfg))
            continue
        try:
            dataset = DATASETS.build(dict(ds_cfg, pipeline=[]))
        except (FileNotFoundError, ValueError) as err:
            raise UserError(f'{split} dataset ({ds_cfg.get("type")}): {err}') from None
        seen[key] = split
        built.append((split, dataset, ds_cfg))
    if not built:
        raise UserError('the config has none of the dataloaders ' +
                        ', '.join(f'{s}_dataloader' for s in splits))
    return built


# ----------------------------------------------------------------- reading
class BandStats:
    """Per-band sums over valid pixels (float64), nodata and pixel counts."""

    def __init__(self):
        self.sum = self.sumsq = None
        self.valid = self.pixels = self.nodata = 0

    def add(self, pixels: np.ndarray, nodata: np.ndarray) -> None:
        """``pixels`` ``(n, C)``, ``nodata`` ``(n,)`` bool."""
        good = pixels[~nodata].astype(np.float64)
        if self.sum is None:
            self.sum = np.zeros(pixels.shape[1])
            self.sumsq = np.zeros(pixels.shape[1])
        if self.sum.shape[0] == pixels.shape[1]:
            self.sum += good.sum(0)
            self.sumsq += (good * good).sum(0)
            self.valid += len(good)
        self.pixels += len(pixels)
        self.nodata += int(nodata.sum())

    def mean_std(self):
        if not self.valid:
            return None, None
        mean = self.sum / self.valid
        std = np.sqrt(np.maximum(self.sumsq / self.valid - mean * mean, 0))
        return [round(float(v), 3) for v in mean], [round(float(v), 3) for v in std]


def _open(path):
    import rasterio
    from rasterio.errors import NotGeoreferencedWarning
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', NotGeoreferencedWarning)
        return rasterio.open(path)


def _strips(src):
    from rasterio.windows import Window
    rows = max(1, STRIP_PIXELS // max(1, src.width * src.count))
    for row in range(0, src.height, rows):
        yield Window(0, row, src.width, min(rows, src.height - row))


def read_image(path, stats: BandStats, sar_db=None, extra_nodata=None) -> dict:
    """Grid, bands and dtype of ``path``; its pixels go into ``stats``.

    Nodata (left out of the statistics): the declared nodata or
    ``extra_nodata`` in every band, NaN in any band, alpha 0.
    """
    with _open(path) as src:
        geo = src.crs is not None and not src.transform.is_identity
        info = dict(shape=(src.height, src.width), bands=src.count, dtype=src.dtypes[0],
                    alpha=src.count == 4 and src.colorinterp[3].name == 'alpha',
                    crs=src.crs.to_string() if geo else None,
                    transform=tuple(src.transform)[:6] if geo else None)
        for window in _strips(src):
            block = np.moveaxis(src.read(window=window), 0, -1).reshape(-1, src.count)
            nodata = np.zeros(len(block), bool)
            for value in (src.nodata, extra_nodata):
                if value is not None:
                    nodata |= np.isnan(block).all(1) if np.isnan(value) \
                        else (block == value).all(1)
            if np.issubdtype(block.dtype, np.floating):
                nodata |= np.isnan(block).any(1)
            if info['alpha']:          # RGB + alpha: alpha 0 = nodata, statistics of RGB
                nodata |= block[:, 3] == 0
                block = block[:, :3]
            if sar_db is not None:
                block = sar_db({'img': block[:, None], 'student_modality': 'sar'})['img'][:, 0]
            stats.add(block, nodata)
    return info


def read_label(path) -> tuple:
    """``(shape or None, Counter of values or None, number of vector features)``."""
    if path.lower().endswith(VECTOR_LABELS):
        with open(path) as f:
            return None, None, len(json.load(f).get('features', []))
    values = Counter()
    with _open(path) as src:
        shape = (src.height, src.width)
        for window in _strips(src):
            uniq, counts = np.unique(src.read(1, window=window), return_counts=True)
            values.update({int(u): int(c) for u, c in zip(uniq, counts)})
    return shape, values, 0


# ----------------------------------------------------------------- checking
def _same_grid(infos: dict) -> bool:
    first = next(iter(infos.values()))
    for other in infos.values():
        if other['shape'] != first['shape'] or other['crs'] != first['crs']:
            return False
        if first['transform'] and other['transform'] and not np.allclose(
                first['transform'], other['transform'], rtol=0,
                atol=1e-6 * max(1.0, abs(first['transform'][0]))):
            return False
    return True


def inspect_split(dataset, ds_cfg, progress) -> dict:
    """One pass over the files of one split."""
    transforms = _transforms(ds_cfg)
    sar_db = None
    if 'SARToDecibel' in transforms:
        from mmkd_rs.registry import TRANSFORMS
        sar_db = TRANSFORMS.build(transforms['SARToDecibel'])
    sar_nodata = (transforms.get('LoadPairedModalities') or {}).get('sar_nodata_value')
    stats, files = {}, {}
    labels, features, misaligned, label_size = Counter(), 0, [], []
    for index in range(len(dataset)):
        info = dataset.get_data_info(index)
        grids = {}
        for name, path in _modalities(info).items():
            stats.setdefault(name, BandStats())
            grids[name] = read_image(path, stats[name], sar_db if name == 'SAR' else None,
                                     sar_nodata if name == 'SAR' else None)
            entry = files.setdefault(name, dict(sizes=Counter(), bands=Counter(),
                                                dtypes=Counter(), crs=Counter()))
            entry['sizes']['x'.join(map(str, grids[name]['shape']))] += 1
            entry['bands'][grids[name]['bands'] if not grids[name]['alpha'] else '3+alpha'] += 1
            entry['dtypes'][grids[name]['dtype']] += 1
            entry['crs'][str(grids[name]['crs'])] += 1
        if len(grids) > 1 and not _same_grid(grids):
            misaligned.append(osp.basename(next(iter(_modalities(info).values()))))
        if info.get('seg_map_path'):
            shape, values, count = read_label(info['seg_map_path'])
            features += count
            if values is not None:
                labels.update(values)
                if shape != next(iter(grids.values()))['shape']:
                    label_size.append(osp.basename(info['seg_map_path']))
        progress.update(1)
    out = dict(samples=len(dataset), modalities={})
    for name, entry in files.items():
        mean, std = stats[name].mean_std()
        out['modalities'][name] = dict(
            {k: dict(v) for k, v in entry.items()}, mean=mean, std=std,
            nodata_percent=round(100.0 * stats[name].nodata / max(1, stats[name].pixels), 3))
    total = sum(labels.values())
    out['label_values'] = {v: round(100.0 * c / total, 3) for v, c in sorted(labels.items())}
    out['label_features'] = features
    out['misaligned'] = misaligned
    out['label_size_mismatch'] = label_size
    return out


def config_problems(cfg, report: dict) -> list:
    """What in the config does not fit the data found (one line each)."""
    from mmkd_rs.utils.tool_utils import innermost_dataset_cfg
    problems = []
    ds_cfg = innermost_dataset_cfg(cfg.train_dataloader['dataset'].to_dict()) \
        if cfg.get('train_dataloader') else {}
    transforms = _transforms(ds_cfg)
    for split, found in report['splits'].items():
        if isinstance(found, str):
            continue
        mods = found['modalities']
        bands = {n: sorted(m['bands'], key=str) for n, m in mods.items()}
        dtypes = {n: sorted(m['dtypes']) for n, m in mods.items()}
        if 'LoadBiTemporalImages' in transforms:
            expected = transforms['LoadBiTemporalImages'].get('channels_per_date')
            if expected and [bands['A'], bands['B']] != [[expected[0]], [expected[1]]]:
                problems.append(f'{split}: dates have {bands["A"]} / {bands["B"]} bands, the '
                                f'config expects channels_per_date={tuple(expected)}')
            fmt = (transforms.get('LoadBiTemporalAnnotations') or {}).get('label_format',
                                                                           'auto')
            allowed = {'0-255': {0, 255}, '0-255-lossy': None}.get(fmt, {0, 1, 255})
            if allowed and not set(found['label_values']) <= allowed:
                problems.append(f'{split}: label values {sorted(found["label_values"])} are '
                                f"not accepted by label_format={fmt!r} ('auto' reads 0/1 and "
                                '0/255)')
        if 'LoadPairedModalities' in transforms:
            load = transforms['LoadPairedModalities']
            for name in mods:
                want = load.get(f'{name.lower()}_bands')
                if want is not None and bands[name] != [want]:
                    problems.append(f'{split}: {name} has {bands[name]} bands, the config '
                                    f'expects {name.lower()}_bands={want}')
        if 'LoadImageFromFile' in transforms and (dtypes['image'] != ['uint8'] or
                                                  not set(bands['image']) <= {1, 3, '3+alpha'}):
            problems.append(f'{split}: images are {dtypes["image"]} with {bands["image"]} '
                            'bands; LoadImageFromFile (OpenCV) reads 8-bit 1- or 3-band images '
                            '(or RGB + alpha)')
        if 'LoadRoadAnnotations' in transforms and \
                transforms['LoadRoadAnnotations'].get('binarize_threshold') is None and \
                not set(found['label_values']) <= {0, 1, 255}:
            problems.append(f'{split}: road mask values {sorted(found["label_values"])}; without '
                            'binarize_threshold only 0/1 are read (255 = ignore)')
        eight_bit = [t for t in ('PhotoMetricDistortion', 'BiTemporalPhotoMetricDistortion')
                     if t in transforms]
        if eight_bit and any(d != ['uint8'] for d in dtypes.values()):
            problems.append(f'{split}: {eight_bit[0]} needs 8-bit images, found {dtypes}')
        if found['misaligned']:
            problems.append(f'{split}: {len(found["misaligned"])} sample(s) whose dates / '
                            'modalities differ in CRS, transform or size, e.g. '
                            f'{found["misaligned"][0]}')
        if found['label_size_mismatch']:
            problems.append(f'{split}: {len(found["label_size_mismatch"])} label(s) of another '
                            f'size than their image, e.g. {found["label_size_mismatch"][0]}')
    preprocessor = (cfg.model.get('data_preprocessor') or {}) if 'model' in cfg else {}
    train = report['splits'].get('train')
    if preprocessor.get('mean') is not None and isinstance(train, dict):
        mean = preprocessor['mean']
        counts = [len(m) for m in mean] if isinstance(mean[0], (list, tuple)) else [len(mean)]
        inputs = dict(A='A', B='B', image='image')
        if 'LoadPairedModalities' in transforms:   # the network's input is the student's
            inputs = {transforms['LoadPairedModalities'].get('student', 'sar').upper(): 1}
        found = [max(3 if b == '3+alpha' else b for b in m['bands'])
                 for n, m in train['modalities'].items() if n in inputs]
        if (transforms.get('LoadImageFromFile') or {}).get('color_type', 'color') == 'color' \
                and 'LoadImageFromFile' in transforms:
            found = [3]                             # OpenCV 'color' gives 3 bands
        if found and counts != found:
            problems.append(f'model.data_preprocessor has {counts} mean value(s) per input, '
                            f'the training images have {found} band(s)')
    return problems


# ------------------------------------------------------------------ report
def _fmt_counter(counter: dict) -> str:
    return ', '.join(f'{k} ({v})' for k, v in counter.items())


def format_report(report: dict) -> str:
    lines = [f'Dataset of {report["config"]}']
    for split, found in report['splits'].items():
        if isinstance(found, str):
            lines.append(f'{split}: the same dataset as {found}')
            continue
        lines.append(f'{split}: {found["samples"]} sample(s)')
        for name, mod in found['modalities'].items():
            lines.append(f'  {name}: size {_fmt_counter(mod["sizes"])}; bands '
                         f'{_fmt_counter(mod["bands"])}; {_fmt_counter(mod["dtypes"])}; '
                         f'CRS {_fmt_counter(mod["crs"])}; nodata {mod["nodata_percent"]} %')
        if found['label_values']:
            lines.append('  label values (% of pixels): ' + ', '.join(
                f'{v}: {p}' for v, p in found['label_values'].items()))
        if found['label_features']:
            lines.append(f'  label footprints: {found["label_features"]}')
        if len(found['modalities']) > 1:
            lines.append('  pixel grids: ' + ('all samples agree (CRS, transform, size)'
                                              if not found['misaligned'] else
                                              f'{len(found["misaligned"])} differ'))
    train = report['splits'].get('train')
    if isinstance(train, dict):
        lines.append('Per-band statistics of the training images (paste into the config):')
        mods = train['modalities']
        for name, mod in mods.items():
            unit = ' (dB)' if name == 'SAR' and report['sar_db'] else ''
            lines.append(f'  {name}{unit}: mean={mod["mean"]}, std={mod["std"]}')
        if set(mods) == {'A', 'B'}:
            paste = {k: [mods['A'][k], mods['B'][k]] for k in ('mean', 'std')}
        elif 'image' in mods:
            paste = {k: mods['image'][k] for k in ('mean', 'std')}
        else:
            paste = {f'{n.lower()}_{k}': m[k] for n, m in mods.items() for k in ('mean', 'std')}
        lines.append('  as config lines (the templates of configs/_templates_/ use these names):')
        lines.extend(f'    {k} = {v}' for k, v in paste.items())
    if report['problems']:
        lines.append('Problems:')
        lines.extend(f'  - {p}' for p in report['problems'])
    else:
        lines.append('The config fits the data.')
    return '\n'.join(lines)


def check_dataset(config: str, splits=SPLITS, cfg_options=None, progress=True) -> dict:
    """Inspect the dataset of ``config``; return the report dict."""
    from mmengine.registry import init_default_scope
    from tqdm import tqdm

    from mmkd_rs.utils.tool_utils import load_config
    cfg = load_config(config, cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmkd_rs'))
    built = _build_splits(cfg, splits)
    total = sum(len(d) for _, d, _ in built if not isinstance(d, str))
    report = dict(config=config, splits={}, sar_db=False)
    with tqdm(total=total, desc='check_dataset', unit='sample', disable=not progress) as bar:
        for split, dataset, ds_cfg in built:
            if isinstance(dataset, str):
                report['splits'][split] = dataset
                continue
            report['splits'][split] = inspect_split(dataset, ds_cfg, bar)
            report['sar_db'] |= 'SARToDecibel' in _transforms(ds_cfg)
    report['problems'] = config_problems(cfg, report)
    return report


def main(argv=None) -> int:
    args = parse_args(argv)
    with user_errors('check_dataset'):
        report = check_dataset(args.config, args.splits, args.cfg_options,
                               not args.no_progress)
    print(format_report(report))
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(report, f, indent=1)
    return 1 if report['problems'] else 0


if __name__ == '__main__':
    sys.exit(main())
