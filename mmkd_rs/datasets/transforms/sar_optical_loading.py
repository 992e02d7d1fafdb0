"""Loading of paired SAR / EO tiles and their labels.

``LoadPairedModalities`` puts the *student* modality in ``results['img']``
and the *teacher* modality in ``results['teacher_img']`` (the suite's
paired-modality convention); which modality is which is a config choice,
e.g. an EO teacher trained alone uses ``student='eo', teacher=None``.
"""
from typing import Optional

import numpy as np
from mmcv.transforms import BaseTransform

from mmkd_rs.datasets.sar_optical.footprint_cache import FootprintCache
from mmkd_rs.datasets.sar_optical.geo_io import (SARDataError, check_modality_raster,
                                                 check_same_footprint, sar_nodata_mask)
from mmkd_rs.datasets.sar_optical.sen12ms import IGBP_TO_DFC2020
from mmkd_rs.geo import Georef, read_raster
from mmkd_rs.registry import TRANSFORMS

MODALITIES = ('sar', 'eo')


def turn_180(array: np.ndarray) -> np.ndarray:
    """Rotate an ``(H, W[, C])`` array by 180 degrees (flip rows and columns)."""
    return np.ascontiguousarray(array[::-1, ::-1])


@TRANSFORMS.register_module()
class LoadPairedModalities(BaseTransform):
    """Read the student (and teacher) modality of a paired SAR / EO sample.

    Required keys: ``sar_path`` and/or ``eo_path`` (the ones used),
    ``orientation_flip`` (optional, default False).

    Added keys: ``img`` (student, ``(H, W, C)``, file dtype: SAR float32 with
    NaN kept), ``teacher_img`` (teacher, if any), ``img_path`` /
    ``teacher_img_path``, ``student_modality`` / ``teacher_modality``,
    ``sar_nodata`` (bool ``(H, W)``, True where SAR has no measurement;
    read from the SAR file even when SAR is neither student nor teacher if
    ``sar_nodata_from_file`` is set), ``geo_grid`` (:class:`mmkd_rs.geo.Georef`
    of the student file, before any flip), ``img_shape``, ``ori_shape``.

    Tiles with ``orientation_flip`` are turned by 180 degrees (see
    :mod:`mmkd_rs.datasets.sar_optical.geo_io` for why).

    Args:
        student (str): 'sar' or 'eo'.
        teacher (str, optional): the other modality, or None.
        sar_bands / eo_bands (int, optional): expected band counts (SpaceNet 6:
            4 and 3; SEN12MS: 2 and 13); a mismatch raises naming the file.
        check_footprint (bool): raise when SAR and EO differ in size, CRS or
            bounds by more than ``footprint_tol_px`` pixels.
        sar_nodata_from_file (bool): read the SAR nodata mask even when SAR
            is not loaded as an image (EO-only models on SAR-masked labels).
        allow_empty (bool): allow tiles whose SAR has no valid pixel (their
            label is then all ignore). Default False: such a tile raises.
        apply_orientation (bool): honour ``orientation_flip``.
        sar_nodata_value (float, optional): a value that marks SAR nodata
            when all bands equal it, used when the file declares none
            (real SpaceNet 6 tiles use 0 outside the swath).
    """

    replay_keys = ()

    def __init__(self,
                 student: str = 'sar',
                 teacher: Optional[str] = 'eo',
                 sar_bands: Optional[int] = 4,
                 eo_bands: Optional[int] = 3,
                 check_footprint: bool = True,
                 footprint_tol_px: float = 0.5,
                 sar_nodata_from_file: bool = True,
                 allow_empty: bool = False,
                 apply_orientation: bool = True,
                 sar_nodata_value: Optional[float] = None) -> None:
        for name, value in (('student', student), ('teacher', teacher)):
            if value is not None and value not in MODALITIES:
                raise SARDataError(f'{name} must be one of {MODALITIES}, got '
                                 f'{value!r}.')
        if student == teacher:
            raise SARDataError('student and teacher modalities must differ.')
        self.student, self.teacher = student, teacher
        self.bands = dict(sar=sar_bands, eo=eo_bands)
        self.check_footprint = check_footprint
        self.footprint_tol_px = footprint_tol_px
        self.sar_nodata_from_file = sar_nodata_from_file
        self.allow_empty = allow_empty
        self.apply_orientation = apply_orientation
        self.sar_nodata_value = sar_nodata_value

    def _path(self, results: dict, modality: str) -> str:
        path = results.get(f'{modality}_path')
        if not path:
            raise KeyError(f'Sample {results.get("img_path")} has no '
                           f'{modality}_path; the dataset must provide it.')
        return path

    def transform(self, results: dict) -> dict:
        wanted = [m for m in (self.student, self.teacher) if m is not None]
        if self.sar_nodata_from_file and 'sar' not in wanted \
                and results.get('sar_path'):
            wanted.append('sar')
        loaded = {}
        for modality in wanted:
            path = self._path(results, modality)
            array, profile = read_raster(path, decoder='gdal')
            check_modality_raster(path, array, self.bands[modality])
            loaded[modality] = (path, array, Georef.from_profile(profile), profile['nodata'])
        if self.check_footprint and len(loaded) == 2:
            (pa, _, ga, _), (pb, _, gb, _) = loaded.values()
            check_same_footprint(pa, ga, pb, gb, self.footprint_tol_px)

        flip = self.apply_orientation and bool(
            results.get('orientation_flip', False))
        if 'sar' in loaded:
            path, sar, _, declared = loaded['sar']
            nodata = sar_nodata_mask(sar, declared)
            if self.sar_nodata_value is not None:
                nodata |= sar_nodata_mask(sar, self.sar_nodata_value)
            if nodata.all() and not self.allow_empty:
                raise SARDataError(
                    f'{path}: every SAR pixel is nodata (NaN or the declared '
                    'nodata value); drop the tile from the split list '
                    '(tools/dataset_converters/spacenet6.py does) or set '
                    'allow_empty=True.')
            results['sar_nodata'] = turn_180(nodata) if flip else nodata

        path, img, grid, _ = loaded[self.student]
        results['img'] = turn_180(img) if flip else img
        results['img_path'] = path
        results['geo_grid'] = grid
        results['student_modality'] = self.student
        results['teacher_modality'] = self.teacher
        if self.teacher is not None:
            tpath, timg, _, _ = loaded[self.teacher]
            results['teacher_img'] = turn_180(timg) if flip else timg
            results['teacher_img_path'] = tpath
        results['orientation_flip'] = flip
        results['img_shape'] = results['img'].shape[:2]
        results['ori_shape'] = results['img'].shape[:2]
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(student={self.student!r}, '
                f'teacher={self.teacher!r}, bands={self.bands})')


@TRANSFORMS.register_module()
class LoadBuildingFootprints(BaseTransform):
    """Rasterise the building geojson of ``seg_map_path`` onto the student grid.

    Must follow :class:`LoadPairedModalities` (uses ``geo_grid`` and
    ``orientation_flip``). Footprints under ``min_area_m2`` are dropped (area
    in a metric CRS). Adds ``gt_seg_map`` (uint8 ``(H, W)``: 0 background,
    1 building) and registers it in ``seg_fields``.

    Each tile is rasterised once per process: the masks are kept in a
    :class:`~mmkd_rs.datasets.sar_optical.footprint_cache.FootprintCache` of
    at most ``cache_mb`` MiB (packed bits, about 0.1 MiB per 900 x 900 tile;
    keyed by file path, modification time, size and grid, so an edited
    GeoJSON is read again). ``cache_mb=0`` rasterises at every access.
    """

    replay_keys = ()

    def __init__(self, min_area_m2: float = 20.0, cache_mb: float = 512.0) -> None:
        self.min_area_m2 = min_area_m2
        self.cache = FootprintCache(cache_mb)

    def transform(self, results: dict) -> dict:
        if 'geo_grid' not in results:
            raise KeyError('LoadBuildingFootprints needs geo_grid: put '
                           'LoadPairedModalities before it in the pipeline.')
        mask = self.cache.rasterize(results['seg_map_path'], results['geo_grid'],
                                    self.min_area_m2)
        if results.get('orientation_flip'):
            mask = turn_180(mask)
        results['gt_seg_map'] = mask
        results.setdefault('seg_fields', []).append('gt_seg_map')
        return results


@TRANSFORMS.register_module()
class LoadSEN12MSLandCover(BaseTransform):
    """Read band 1 (IGBP) of a SEN12MS ``lc`` patch as DFC2020 classes.

    Adds ``gt_seg_map`` (uint8 ``(H, W)``, 0..9, 255 = ignore) mapped by
    :data:`mmkd_rs.datasets.sar_optical.IGBP_TO_DFC2020`; IGBP codes outside
    1..17 raise.
    """

    replay_keys = ()

    def transform(self, results: dict) -> dict:
        path = results['seg_map_path']
        lc, _ = read_raster(path, decoder='gdal')
        check_modality_raster(path, lc)
        igbp = lc[..., 0]
        bad = (igbp < 0) | (igbp > 17)
        if bad.any():
            raise SARDataError(f'{path}: IGBP band has codes outside 0..17 '
                             f'(e.g. {igbp[bad].flat[0]}).')
        results['gt_seg_map'] = IGBP_TO_DFC2020[igbp.astype(np.int64)]
        results.setdefault('seg_fields', []).append('gt_seg_map')
        return results
