"""OpenCV reading and writing that survives any file name.

``cv2.imread`` / ``cv2.imwrite`` take the path as UTF-8: a file name that is
not valid UTF-8 (a Latin-1 name on a Linux file system, which Python lists
with surrogate escapes) crashes the process inside OpenCV (signal 11, no
message). For such names the file is read (written) by Python, which uses
the file system's own encoding, and decoded (encoded) by OpenCV in memory
with the same flags; every other path goes to ``cv2.imread`` /
``cv2.imwrite`` unchanged. Rasters with their georeference are read by
:mod:`mmkd_rs.geo`.
"""
import os.path as osp

import numpy as np

__all__ = ['is_utf8_path', 'imread', 'imwrite']

_IMREAD_COLOR = 1   # cv2.IMREAD_COLOR; cv2 is imported on first use


def is_utf8_path(path: str) -> bool:
    """Whether ``path`` (a str, as ``os.listdir`` returns it) encodes as UTF-8."""
    try:
        str(path).encode('utf-8')
    except UnicodeEncodeError:
        return False
    return True


def imread(path: str, flags: int = _IMREAD_COLOR):
    """``cv2.imread(path, flags)``; None when the file cannot be read or decoded."""
    import cv2
    if is_utf8_path(path):
        return cv2.imread(path, flags)
    try:
        data = np.fromfile(path, np.uint8)
    except OSError:
        return None
    return cv2.imdecode(data, flags) if data.size else None


def imwrite(path: str, array: np.ndarray, params=()) -> bool:
    """``cv2.imwrite(path, array, params)``; False when it cannot be written."""
    import cv2
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
