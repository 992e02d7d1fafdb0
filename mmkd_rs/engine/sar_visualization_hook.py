"""Validation / test visualisation hook for paired SAR / EO samples."""
import os.path as osp
from typing import Sequence

from mmengine.runner import BaseLoop, Runner
from mmseg.engine.hooks import SegVisualizationHook
from mmseg.structures import SegDataSample

from mmkd_rs.registry import HOOKS


def _built_train_iter(runner: Runner) -> int:
    """The training iteration if a train loop is running, else 0.

    ``runner.iter`` builds the train loop (and its dataset) on first access,
    so a test-only run would fail on a missing *training* data root just to
    name the images it draws.
    """
    loop = getattr(runner, '_train_loop', None)
    return loop.iter if isinstance(loop, BaseLoop) else 0


@HOOKS.register_module()
class SAREOVisualizationHook(SegVisualizationHook):
    """``SegVisualizationHook`` that lets the visualizer read the tiles.

    mmseg's hook decodes ``img_path`` with OpenCV, which cannot read 4-band
    float32 SAR GeoTIFFs; this hook passes no image and the visualizer
    (``SAREOVisualizer``) reads SAR and EO itself from the sample's
    metainfo. Arguments are mmseg's (``draw``, ``interval``, ``show``,
    ``wait_time``); ``tools/test.py --show-dir`` sets them.
    """

    def _after_iter(self, runner: Runner, batch_idx: int, data_batch: dict,
                    outputs: Sequence[SegDataSample],
                    mode: str = 'val') -> None:
        if self.draw is False or mode == 'train':
            return
        if self.every_n_inner_iters(batch_idx, self.interval):
            for output in outputs:
                name = osp.splitext(osp.basename(output.img_path))[0]
                self._visualizer.add_datasample(
                    f'{mode}_{name}', None, data_sample=output,
                    show=self.show, wait_time=self.wait_time,
                    step=_built_train_iter(runner))
