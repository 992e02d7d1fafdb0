"""The synthetic catalog finds each dataset's writer through its class
(``synthetic_writer``): every dataset of the suite names one, a dataset without
one is told what to add, and the writer follows the config's layout."""
import cv2
import numpy as np
import pytest

import mmkd_rs  # noqa: F401  (mmcv-lite glue before mmseg)
from mmseg.datasets import BaseSegDataset  # noqa: E402
from mmkd_rs.datasets.synthetic.catalog import prepare_synthetic, synthetic_writer
from mmkd_rs.registry import DATASETS


def test_every_dataset_of_the_suite_names_an_importable_writer():
    DATASETS.import_from_location()
    ours = {name: cls for name, cls in DATASETS.module_dict.items()
            if cls.__module__.startswith('mmkd_rs.')}
    assert len(ours) >= 10
    assert [n for n, c in ours.items() if getattr(c, 'synthetic_writer', None) is None] == []
    assert all(callable(synthetic_writer(cls)) for cls in ours.values())


def test_a_dataset_without_a_writer_is_told_what_to_add(tmp_path):
    class NoWriterDataset(BaseSegDataset):
        pass

    with pytest.raises(NotImplementedError, match=r"NoWriterDataset: give the class \(or a "
                       r"base\) the attribute synthetic_writer = 'package.module.function'"):
        prepare_synthetic(dict(type=NoWriterDataset), str(tmp_path))

    class MisspeltWriterDataset(BaseSegDataset):
        synthetic_writer = 'mmkd_rs.datasets.synthetic.levir.no_such_writer'

    with pytest.raises(ImportError, match=r"MisspeltWriterDataset.synthetic_writer = "
                       r"'mmkd_rs.datasets.synthetic.levir.no_such_writer' cannot be imported"):
        prepare_synthetic(dict(type=MisspeltWriterDataset), str(tmp_path))


def test_bitemporal_writer_follows_the_config_layout(tmp_path):
    cfg = prepare_synthetic(dict(type='WHUCDDataset', seg_map_suffix='.tif',
                                 data_prefix=dict(img_path='t/A', img_path2='t/B',
                                                  seg_map_path='t/gt')),
                            str(tmp_path), num=3, size=32)
    assert cfg['data_root'] == str(tmp_path)
    dataset = DATASETS.build(dict(cfg, pipeline=[]))
    assert len(dataset) == 3
    info = dataset.get_data_info(2)
    assert info['img_path'].endswith('t/A/synthetic_002.png')
    assert info['img_path2'].endswith('t/B/synthetic_002.png')
    label = cv2.imread(info['seg_map_path'], cv2.IMREAD_UNCHANGED)
    assert label.shape == (32, 32) and set(np.unique(label)) <= {0, 255}
