"""OpenCV reading and writing that survives any file name.

``cv2.imread`` / ``cv2.imwrite`` take the path as UTF-8: a file name that is
not valid UTF-8 (a Latin-1 name on a Linux file system, which Python lists
with surrogate escapes) crashes the process inside OpenCV (signal 11, no
message). For such names the file is read (written) by Python, which uses
the file system's own encoding, and decoded (encoded) by OpenCV in memory
with the same flags; every other path goes to ``cv2.imread`` /
``cv2.imwrite`` unchanged.
"""
import os.path as osp

import cv2
import numpy as np

__all__ = ['is_utf8_path', 'imread', 'imwrite', 'raster_errors', 'unreadable_message']


def is_utf8_path(path: str) -> bool:
    """Whether ``path`` (a str, as ``os.listdir`` returns it) encodes as UTF-8."""
    try:
        str(path).encode('utf-8')
    except UnicodeEncodeError:
        return False
    return True


def imread(path: str, flags: int = cv2.IMREAD_COLOR):
    """``cv2.imread(path, flags)``; None when the file cannot be read or decoded."""
    if is_utf8_path(path):
        return cv2.imread(path, flags)
    try:
        data = np.fromfile(path, np.uint8)
    except OSError:
        return None
    return cv2.imdecode(data, flags) if data.size else None


def imwrite(path: str, array: np.ndarray, params=()) -> bool:
    """``cv2.imwrite(path, array, params)``; False when it cannot be written."""
    if is_utf8_path(path):
        return cv2.imwrite(path, array, list(params))
    ok, data = cv2.imencode(osp.splitext(path)[1], array, list(params))
    if not ok:
        return False
    try:
        data.tofile(path)
    except OSError:
        return False
    return True


def raster_errors() -> tuple:
    """The exceptions rasterio raises for a file it cannot open or read."""
    from rasterio.errors import RasterioError
    try:
        from rasterio._err import CPLE_BaseError
    except ImportError:  # pragma: no cover (another rasterio layout)
        return (RasterioError, )
    return (RasterioError, CPLE_BaseError)


def unreadable_message(path: str, err: BaseException) -> str:
    """One sentence for a raster file that cannot be read (empty, truncated, ...).

    The reason is GDAL's first complaint: rasterio chains its errors and the
    last one only says "See previous exception for details".
    """
    reason, seen = type(err).__name__, set()
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        text = str(err).strip().rstrip('.')
        if text and 'previous exception' not in text:
            reason = text
        err = err.__cause__ or err.__context__
    return (f'cannot read "{path}": {reason}. The file is empty, truncated or not a raster '
            'GDAL reads; replace it or leave the sample out.')
