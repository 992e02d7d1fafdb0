"""Base of the task visualizers: side-by-side RGB panels for ``--show-dir``."""
from typing import List, Optional

import mmcv
import numpy as np
from mmseg.structures import SegDataSample
from mmseg.visualization import SegLocalVisualizer

__all__ = ['PanelVisualizer']


class PanelVisualizer(SegLocalVisualizer):
    """``SegLocalVisualizer`` whose ``add_datasample`` concatenates the RGB
    uint8 panels returned by :meth:`draw_panels` left to right and shows,
    writes (``out_file``) or logs them to the visualizer's backends (what
    ``SegVisualizationHook`` does for ``tools/test.py --show-dir``)."""

    def draw_panels(self, image: Optional[np.ndarray], data_sample: Optional[SegDataSample],
                    draw_gt: bool = True, draw_pred: bool = True) -> List[np.ndarray]:
        """Return the panels, each H x W x 3 uint8 RGB of the same height."""
        raise NotImplementedError

    def add_datasample(self,
                       name: str,
                       image: Optional[np.ndarray] = None,
                       data_sample: Optional[SegDataSample] = None,
                       draw_gt: bool = True,
                       draw_pred: bool = True,
                       show: bool = False,
                       wait_time: float = 0,
                       out_file: Optional[str] = None,
                       step: int = 0,
                       with_labels: Optional[bool] = True) -> None:
        drawn = np.concatenate(self.draw_panels(image, data_sample, draw_gt, draw_pred), axis=1)
        self.set_image(drawn)
        if show:
            self.show(drawn, win_name=name, wait_time=wait_time)
        if out_file is not None:
            mmcv.imwrite(mmcv.rgb2bgr(drawn), out_file)
        else:
            self.add_image(name, drawn, step)
