"""Encoder-decoder predicting road segmentation and connectivity together."""
from mmengine.structures import PixelData
from mmseg.models.segmentors import EncoderDecoder
from mmseg.structures import SegDataSample

from mmkd_rs.registry import MODELS


@MODELS.register_module()
class RoadMultitaskSegmentor(EncoderDecoder):
    """:class:`EncoderDecoder` whose decode head also predicts connectivity
    (e.g. :class:`RoadConnectivityHead`: ``predict_multitask`` and
    ``num_conn_classes``).

    Training is the head's multitask loss. ``predict`` (whole or slide mode) runs
    both outputs through the same un-padding / flip / resize as mmseg and fills,
    per data sample, the usual ``seg_logits`` / ``pred_sem_seg`` plus
    ``conn_logits`` (``[num_conn_classes, H, W]``) and ``pred_conn`` (``[1, H, W]``).
    ``mode='tensor'`` returns the segmentation logits only.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for attr in ('predict_multitask', 'num_conn_classes'):
            if not hasattr(self.decode_head, attr):
                raise TypeError(f'{type(self).__name__} needs a decode head with '
                                f'"{attr}" (e.g. RoadConnectivityHead), got '
                                f'{type(self.decode_head).__name__}')
        self._multitask = False

    def encode_decode(self, inputs, batch_img_metas):
        if not self._multitask:
            return super().encode_decode(inputs, batch_img_metas)
        return self.decode_head.predict_multitask(self.extract_feat(inputs), batch_img_metas,
                                                  self.test_cfg)

    def predict(self, inputs, data_samples=None):
        if data_samples is None:
            data_samples = [SegDataSample(metainfo=dict(
                ori_shape=inputs.shape[2:], img_shape=inputs.shape[2:],
                pad_shape=inputs.shape[2:], padding_size=[0, 0, 0, 0]))
                for _ in range(inputs.shape[0])]
        metas = [s.metainfo for s in data_samples]
        seg_channels = self.out_channels
        self._multitask, self.out_channels = True, seg_channels + self.decode_head.num_conn_classes
        try:
            logits = self.inference(inputs, metas)
        finally:
            self._multitask, self.out_channels = False, seg_channels
        seg, conn = logits.split([seg_channels, self.decode_head.num_conn_classes], dim=1)
        conn_samples = self.postprocess_result(
            conn, [SegDataSample(metainfo=s.metainfo) for s in data_samples])
        data_samples = self.postprocess_result(seg, data_samples)
        for sample, conn_sample in zip(data_samples, conn_samples):
            sample.set_data(dict(conn_logits=conn_sample.seg_logits,
                                 pred_conn=PixelData(data=conn_sample.pred_sem_seg.data)))
        return data_samples
