"""Teacher-output cache: transform declarations, refusals, exact and replay
modes on the suite's real training pipelines, memory bound and hit-rate log."""
import copy
import glob
import logging
import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from _real_data import require_real
from distill_testkit import batch, kd_model_cfg, tiny_segmentor, use_scope
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.logging import MessageHub, MMLogger

from mmkd_rs.datasets.transforms import replay_spec
from mmkd_rs.distill.teacher_cache import (HIT_RATE_KEY, TeacherCacheRefused,
                                           TeacherOutputCache, _merge, _split,
                                           check_pipeline, recorded, replay)
from mmkd_rs.registry import DATASETS, MODELS, TRANSFORMS

use_scope()
FLIP_PIPELINE = [dict(type='LoadImageFromFile'), dict(type='LoadAnnotations'),
                 dict(type='RandomFlip', prob=0.5),
                 dict(type='PackSegInputs', meta_keys=('img_shape', 'ori_shape', 'pad_shape',
                                                       'flip', 'flip_direction', 'sample_idx'))]
LEVIR_QUICK = 'configs/changedet/siam_r18w32-fpn_1xb4-quick_synth-levir-cd-128x128.py'
SN6_PAIRED = 'configs/_base_/datasets/spacenet6_paired_synthetic.py'


# ------------------------------------------------------------ declarations
def test_every_transform_declares_what_it_records():
    own = [cls for cls in TRANSFORMS.module_dict.values()]
    assert len(own) >= 20
    # declared by the class or by one of the suite's bases (the shared geometry),
    # never only by an mmcv / mmseg base, whose draws the subclass may change
    undeclared = [cls.__name__ for cls in own
                  if not any('replay_keys' in vars(k) for k in cls.__mro__
                             if k.__module__.startswith('mmkd_rs.'))]
    assert undeclared == []
    expected = {'BiTemporalRandomCrop': (('crop_bbox',), 'crop'),
                'PairedRandomCrop': (('crop_bbox',), 'crop'),
                'BiTemporalRandomRot90': (('rot90_k',), 'rot90'),
                'PairedRandomRot90': (('rot90_k',), 'rot90'),
                'BiTemporalRandomFlip': (('flip', 'flip_direction'), 'flip'),
                'PairedRandomFlip': (('flip', 'flip_direction'), 'flip'),
                'BiTemporalSwap': (('dates_swapped',), None),
                'SelectBands': ((), None), 'PackPairedSegInputs': ((), None),
                'BiTemporalPhotoMetricDistortion': (None, None),
                'RandomFlip': (('flip', 'flip_direction'), 'flip'),   # mmseg's
                'RandomCrop': (None, None), 'PhotoMetricDistortion': (None, None)}
    for kind, (keys, op) in expected.items():
        spec = replay_spec(TRANSFORMS.get(kind))
        assert (spec.keys, spec.op) == (keys, op), kind
    # every transform type of every shipped config is declared
    types = set()
    for path in glob.glob('configs/**/*.py', recursive=True):
        types |= set(re.findall(r"type='(\w+)'", open(path).read()))
    transforms = [TRANSFORMS.get(t) for t in sorted(types) if TRANSFORMS.get(t) is not None]
    assert len(transforms) >= 20
    assert [c.__name__ for c in transforms if replay_spec(c) is None] == []


def _image(h, w, c, seed):
    return np.random.default_rng(seed).integers(0, 255, (h, w, c), dtype=np.uint8)


@pytest.mark.parametrize('kind,cfg', [
    ('BiTemporalRandomCrop', dict(crop_size=(5, 7))),
    ('BiTemporalRandomFlip', dict(prob=0.9, direction=['horizontal', 'vertical'])),
    ('BiTemporalRandomRot90', dict(prob=0.9)),
    ('PairedRandomCrop', dict(crop_size=(5, 7))),
    ('PairedRandomFlip', dict(prob=0.9, direction=['horizontal', 'vertical'])),
    ('PairedRandomRot90', dict(prob=0.9)),
    ('RandomFlip', dict(prob=0.9, direction=['horizontal', 'vertical', 'diagonal']))])
def test_recorded_draw_reproduces_the_transform(kind, cfg):
    """Replaying the recorded keys on the un-augmented image gives the augmented one."""
    transform = TRANSFORMS.build(dict(type=kind, **cfg))
    steps = check_pipeline([dict(type=kind, **cfg)])
    seen = set()
    for seed in range(12):
        np.random.seed(seed)
        img, img2 = _image(9, 12, 3, seed), _image(9, 12, 2, seed + 100)
        label = _image(9, 12, 1, seed + 200)[..., 0] % 2
        results = transform(dict(img=img.copy(), img2=img2.copy(), teacher_img=img2.copy(),
                                  gt_seg_map=label.copy(), seg_fields=['gt_seg_map'],
                                  img_shape=(9, 12), ori_shape=(9, 12)))
        ops, _ = recorded(results, steps)
        seen.add(ops)
        moved = ['img', 'img2' if kind.startswith('BiTemporal') else 'teacher_img']
        pairs = [(img, results['img']), (label[..., None], results['gt_seg_map'][..., None])]
        if kind != 'RandomFlip':             # mmseg's flip moves `img` only
            pairs.append((img2, results[moved[1]]))
        for before, after in pairs:
            as_chw = torch.from_numpy(np.ascontiguousarray(before.transpose(2, 0, 1)))
            replayed = replay(as_chw, ops, (9, 12))
            assert torch.equal(replayed, torch.from_numpy(after.transpose(2, 0, 1).copy()))
    assert len(seen) >= 3               # identity and several draws were exercised


# ----------------------------------------------------------------- refusal
def test_refusal_names_each_transform_the_cache_cannot_follow():
    levir = Config.fromfile('configs/_base_/datasets/levir_cd.py').train_pipeline
    with pytest.raises(TeacherCacheRefused) as err:
        check_pipeline(levir)
    assert 'pipeline[5] BiTemporalPhotoMetricDistortion: photometric' in str(err.value)
    assert 'BiTemporalRandomCrop' not in str(err.value)
    roads = Config.fromfile('configs/_base_/datasets/synthetic_roads.py').train_pipeline
    with pytest.raises(TeacherCacheRefused, match="RandomCrop: mmseg's RandomCrop does not "
                       'record its window'):
        check_pipeline(roads)
    with pytest.raises(TeacherCacheRefused, match=r'pipeline\[1\] MyJitter: not a registered'):
        check_pipeline([dict(type='LoadImageFromFile'), dict(type='MyJitter')])
    # the date swap is recorded: keyed in exact mode, not re-appliable in replay mode
    quick = Config.fromfile(LEVIR_QUICK).train_pipeline
    assert [s.kind for s in check_pipeline(quick)] == [
        'BiTemporalRandomCrop', 'BiTemporalRandomFlip', 'BiTemporalRandomRot90',
        'BiTemporalSwap']
    with pytest.raises(TeacherCacheRefused, match=r"pipeline\[5\] BiTemporalSwap: records "
                       r"\['dates_swapped'\] but no tensor operation"):
        check_pipeline(quick, mode='replay')
    # a packer dropping what the cache reads
    with pytest.raises(TeacherCacheRefused, match=r"PackSegInputs: its meta_keys drop "
                       r"\['sample_idx'\]"):
        check_pipeline(FLIP_PIPELINE[:3] + [dict(type='PackSegInputs')])
    with pytest.raises(TeacherCacheRefused):
        MODELS.build(kd_model_cfg(teacher_cache=dict(pipeline=levir)))


def test_refusal_of_a_replay_op_that_is_not_registered_or_reads_other_keys():
    class Shear:
        replay_keys, replay_op = ('shear',), 'shear'

    class FlipRecordingHalf:
        replay_keys, replay_op = ('flip',), 'flip'

    with pytest.raises(TeacherCacheRefused, match=r"pipeline\[0\] Shear: its replay_op 'shear' "
                       r"is not registered in REPLAY_OPS \(registered: \['crop', 'flip', "):
        check_pipeline([dict(type=Shear)], 'replay')
    with pytest.raises(TeacherCacheRefused, match=r"FlipRecordingHalf: records \['flip'\] but "
                       r"its replay_op 'flip' reads \['flip', 'flip_direction'\]"):
        check_pipeline([dict(type=FlipRecordingHalf)])


# ------------------------------------------------------------- tensor ops
def test_replay_matches_teacher_on_augmented_input():
    # an exactly equivariant "teacher": 2x2 max pooling (output stride 2)
    x = torch.randn(1, 3, 8, 12)
    teacher = lambda t: F.max_pool2d(t, 2)  # noqa: E731
    augmented = x[..., 2:6, 4:12]                        # crop_bbox (y1, y2, x1, x2)
    augmented = torch.flip(augmented, (-1,))             # horizontal flip
    augmented = torch.rot90(augmented, 1, dims=(-2, -1))
    ops = (('crop', (2, 6, 4, 12)), ('flip', 'horizontal'), ('rot90', 1))
    assert torch.equal(replay(teacher(x), ops, (8, 12)), teacher(augmented))
    # a crop off the output grid cannot be replayed exactly
    assert replay(teacher(x), (('crop', (1, 5, 4, 12)),), (8, 12)) is None


def test_split_and_merge_keep_stacked_dates_layout_in_own_storage():
    b = 3
    value = (torch.arange(2 * b * 2.).view(2 * b, 2), torch.arange(b * 1.).view(b, 1))
    pieces = _split(value, b)
    assert torch.equal(pieces[1][0], value[0][[1, 4]])   # sample 1: date A row 1, date B row 4
    # each piece owns its bytes (a view would keep the whole batch alive)
    assert pieces[1][0].untyped_storage().nbytes() == 2 * 2 * 4
    assert pieces[1][0].untyped_storage().data_ptr() != value[0].untyped_storage().data_ptr()
    merged = _merge(pieces, torch.device('cpu'))
    assert all(torch.equal(m, v) for m, v in zip(merged, value))


# ------------------------------------------- real pipelines vs live teacher
def count_teacher_calls(model, name='teacher'):
    calls = []
    model.teachers[name].backbone.register_forward_hook(lambda *a: calls.append(1))
    return calls


def cached_and_live(cache, **overrides):
    """Two identical KD models, the first with a teacher cache."""
    torch.manual_seed(0)
    cached = MODELS.build(kd_model_cfg(teacher_cache=cache, **overrides))
    live = MODELS.build(kd_model_cfg(**overrides))
    live.load_state_dict(cached.state_dict())
    live.teachers.load_state_dict(cached.teachers.state_dict())
    return cached, live


def loader_batch(dataset, indices, seed):
    """What a dataloader yields for ``indices`` with the pipeline seeded by ``seed``."""
    np.random.seed(seed)
    return pseudo_collate([dataset[i] for i in indices])


def check_against_live(cached, live, dataset, draws):
    """Feed each ``(indices, seed)`` batch to both models; return the teacher calls."""
    calls = count_teacher_calls(cached)
    for indices, seed in draws:
        data = cached.data_preprocessor(loader_batch(dataset, indices, seed), True)
        got = cached(**data, mode='loss')['distill.loss_kd']
        want = live(**copy.deepcopy(data), mode='loss')['distill.loss_kd']
        assert torch.equal(got, want), (indices, seed)
    return calls


def test_exact_cache_on_change_detection_pipeline_is_bit_identical():
    root = require_real('levir_cd_256_bit')
    cfg = Config.fromfile(LEVIR_QUICK)              # crop 128 + flip + rot90 + date swap
    dataset = DATASETS.build(dict(cfg.train_dataloader.dataset, data_root=str(root),
                                  data_prefix=dict(img_path='A', img_path2='B',
                                                   seg_map_path='label')))
    six = dict(student=tiny_segmentor(8, in_channels=6), teacher=tiny_segmentor(16, in_channels=6),
               data_preprocessor=cfg.model.data_preprocessor)
    cached, live = cached_and_live(dict(pipeline=cfg.train_pipeline), **six)
    sample = loader_batch(dataset, [0], 3)['data_samples'][0].metainfo
    assert {'sample_idx', 'crop_bbox', 'rot90_k', 'flip', 'dates_swapped'} <= set(sample)
    steps = check_pipeline(cfg.train_pipeline)
    ops = {op[0] for seed in (3, 4) for s in loader_batch(dataset, [0, 1, 2, 3], seed)[
        'data_samples'] for op in recorded(s.metainfo, steps)[0]}
    assert ops == {'crop', 'flip', 'rot90'}       # the draws below exercise all three
    draws = [([0, 1], 3), ([2, 3], 4), ([0, 1], 3), ([0, 1], 5), ([2, 3], 4)]
    calls = check_against_live(cached, live, dataset, draws)
    # seeds 3 and 4 repeat their draws: hits; seed 5 draws other windows: teacher runs
    assert len(calls) == 3
    assert (cached.teacher_cache.hits, cached.teacher_cache.misses) == (2, 3)


def test_exact_cache_on_spacenet6_paired_pipeline_is_bit_identical(tmp_path):
    from mmkd_rs.datasets.synthetic.spacenet6 import generate_synthetic_spacenet6
    generate_synthetic_spacenet6(str(tmp_path), num_tiles=5, size=64, seed=0)
    cfg = Config.fromfile(SN6_PAIRED)             # crop 64 (whole tile) + horizontal flip
    dataset = DATASETS.build(dict(cfg.train_dataloader.dataset, data_root=str(tmp_path)))
    paired = dict(student=tiny_segmentor(8, in_channels=4),
                  teacher=tiny_segmentor(16, in_channels=3),
                  data_preprocessor=dict(type='PairedModalityDataPreProcessor',
                                         mean=cfg.sar_mean, std=cfg.sar_std,
                                         teacher_mean=cfg.eo_mean, teacher_std=cfg.eo_std,
                                         size_divisor=32))
    cached, live = cached_and_live(dict(pipeline=cfg.train_pipeline), **paired)
    # seeds 0 and 1 flip sample 0 differently; seed 0 comes back
    flips = [loader_batch(dataset, [0], s)['data_samples'][0].flip for s in (0, 1)]
    assert flips[0] != flips[1]
    calls = check_against_live(cached, live, dataset,
                               [([0, 1], 0), ([0, 1], 1), ([0, 1], 0), ([0, 1], 1)])
    assert len(calls) == 2 and cached.teacher_cache.summary()['hit_rate'] == 0.5
    # the same pipeline with a 48-px crop: windows move, recorded and replayed in the key
    pipeline = copy.deepcopy(cfg.train_pipeline)
    pipeline[4]['crop_size'] = (48, 48)
    dataset = DATASETS.build(dict(cfg.train_dataloader.dataset, data_root=str(tmp_path),
                                  pipeline=pipeline))
    cached, live = cached_and_live(dict(pipeline=pipeline), **paired)
    calls = check_against_live(cached, live, dataset, [([0, 1], 2), ([0, 1], 3), ([0, 1], 2)])
    assert len(calls) == 2


# ------------------------------------------------------------ model level
def with_meta(data, flips, offset=0):
    for i, (sample, flip) in enumerate(zip(data['data_samples'], flips)):
        sample.set_metainfo(dict(sample_idx=i + offset, flip=flip,
                                 flip_direction='horizontal'))
    return data


def test_exact_mode_hits_give_identical_losses_without_teacher_forward():
    cached, plain = cached_and_live(dict(pipeline=FLIP_PIPELINE))
    calls = count_teacher_calls(cached)
    data = cached.data_preprocessor(with_meta(batch(), [False, True]), True)
    first = cached(**data, mode='loss')
    second = cached(**data, mode='loss')
    reference = plain(**data, mode='loss')
    assert len(calls) == 1 and cached.teacher_cache.hits == 1
    assert torch.equal(second['distill.loss_kd'], first['distill.loss_kd'])
    assert torch.equal(second['distill.loss_kd'], reference['distill.loss_kd'])
    # another flip of sample 0 is another key: the teacher runs again
    other = cached.data_preprocessor(with_meta(batch(), [True, True]), True)
    cached(**other, mode='loss')
    assert len(calls) == 2


def test_padded_size_is_part_of_the_exact_key():
    # size_divisor padding depends on the other samples of the batch
    pre = dict(type='SegDataPreProcessor', mean=[0.0] * 3, std=[1.0] * 3, size_divisor=8)
    cached, live = cached_and_live(dict(pipeline=FLIP_PIPELINE), data_preprocessor=pre)

    def one(size, idx):
        raw = with_meta(batch(n=1, size=size, seed=idx), [False], idx)
        return raw['inputs'], raw['data_samples']
    (a, sa), (b, sb) = one(24, 0), one(32, 1)
    calls = count_teacher_calls(cached)
    # sample 0 alone (24 px), sample 1 alone (32 px), then together: 0 padded to 32
    for raw in (dict(inputs=a, data_samples=sa), dict(inputs=b, data_samples=sb),
                dict(inputs=a + b, data_samples=sa + sb)):
        data = cached.data_preprocessor(copy.deepcopy(raw), True)
        got = cached(**data, mode='loss')['distill.loss_kd']
        assert torch.equal(got, live(**data, mode='loss')['distill.loss_kd'])
    assert len(calls) == 3


def test_replay_mode_reuses_unaugmented_outputs_for_flipped_samples():
    model = MODELS.build(kd_model_cfg(teacher_cache=dict(pipeline=FLIP_PIPELINE,
                                                         mode='replay')))
    calls = count_teacher_calls(model)
    raw = with_meta(batch(), [False, False])
    data = model.data_preprocessor(raw, True)
    model.run_teachers(data['inputs'], data['data_samples'])     # fill, identity geometry
    t_plain = model.distiller.teacher_groups['teacher']['logits'].get().clone()
    flipped = model.data_preprocessor(with_meta(batch(), [True, False]), True)
    flipped['inputs'][0] = torch.flip(flipped['inputs'][0], (-1,))
    model.run_teachers(flipped['inputs'], flipped['data_samples'])
    assert len(calls) == 1 and model.teacher_cache.hits == 1
    restored = model.distiller.teacher_groups['teacher']['logits'].get()
    assert torch.equal(restored[0], torch.flip(t_plain[0], (-1,)))
    assert torch.equal(restored[1], t_plain[1])


def test_unaugmented_fill_takes_missing_keys_as_identity_only_inside_its_block():
    model = MODELS.build(kd_model_cfg(teacher_cache=dict(pipeline=FLIP_PIPELINE,
                                                         mode='replay')))
    data = model.data_preprocessor(batch(), True)     # as a loader without RandomFlip
    for i, sample in enumerate(data['data_samples']):
        sample.set_metainfo(dict(sample_idx=i))
    with pytest.raises(KeyError, match=r"RandomFlip \(pipeline\[2\]\) records 'flip'"):
        model.run_teachers(data['inputs'], data['data_samples'])
    with model.teacher_cache.unaugmented():
        model.run_teachers(data['inputs'], data['data_samples'])
    assert sorted(k[1] for k in model.teacher_cache.entries) == [0, 1]


# ------------------------------------------------- memory bound and logging
def test_memory_budget_evicts_least_recently_used():
    assert TeacherOutputCache(FLIP_PIPELINE).max_bytes == 1024 * 2**20   # bounded by default
    model = MODELS.build(kd_model_cfg())
    logits = 2 * 4 * 4 * 4           # one sample: 2 classes x 4 x 4 float32 (stride 8)
    cache = TeacherOutputCache(FLIP_PIPELINE, max_mb=3 * logits / 2**20)
    model.teacher_cache = cache
    for offset in (0, 2):            # samples 0, 1 then 2, 3: sample 0 is evicted
        data = model.data_preprocessor(with_meta(batch(seed=offset), [False] * 2, offset), True)
        model(**data, mode='loss')
    assert [k[1] for k in cache.entries] == [1, 2, 3]
    assert cache.nbytes == 3 * logits and cache.evicted == 1
    assert all(e['records']['logits'][0].untyped_storage().nbytes() == logits
               for e in cache.entries.values())
    # a hit refreshes samples 2, 3; storing 4, 5 then evicts 1 and 2 ... not 3
    data = model.data_preprocessor(with_meta(batch(seed=2), [False] * 2, 2), True)
    model(**data, mode='loss')
    assert cache.hits == 1
    data = model.data_preprocessor(with_meta(batch(seed=4), [False] * 2, 4), True)
    model(**data, mode='loss')
    assert [k[1] for k in cache.entries] == [3, 4, 5] and cache.evicted == 3
    by_count = TeacherOutputCache(FLIP_PIPELINE, max_items=1)
    model.teacher_cache = by_count
    model(**data, mode='loss')
    assert [k[1] for k in by_count.entries] == [5]


class Lines(logging.Handler):
    def __init__(self):
        super().__init__()
        self.text = ''

    def emit(self, record):
        self.text += record.getMessage() + '\n'


def test_hit_rate_is_logged_and_a_useless_cache_is_reported():
    MessageHub.get_instance('teacher_cache_test')
    caplog = Lines()
    MMLogger.get_instance('teacher_cache_test').addHandler(caplog)
    model = MODELS.build(kd_model_cfg(teacher_cache=dict(pipeline=FLIP_PIPELINE,
                                                         log_interval=4)))
    hub = MessageHub.get_current_instance()
    data = model.data_preprocessor(with_meta(batch(), [False, True]), True)
    for _ in range(4):
        model(**data, mode='loss')
    assert hub.get_scalar(HIT_RATE_KEY).current() == pytest.approx(3 / 4)
    assert '3/4 teacher forwards skipped (75.0 %), sample hit rate 75.0 %, 2 entries' \
        in caplog.text
    assert 'almost never repeats' not in caplog.text
    # every lookup a new flip/sample combination: no hit after each sample was seen twice
    crop = [dict(type='LoadBiTemporalImages'), dict(type='BiTemporalRandomCrop', crop_size=8),
            dict(type='PackBiTemporalInputs')]
    model = MODELS.build(kd_model_cfg(teacher_cache=dict(pipeline=crop)))
    assert 'keys on the crop window' in caplog.text
    data = model.data_preprocessor(batch(), True)
    for step in range(10):           # 10 passes over 2 samples, a new window each time
        for i, sample in enumerate(data['data_samples']):
            sample.set_metainfo(dict(sample_idx=i, crop_bbox=(step, step + 8, 0, 8)))
        assert 'almost never repeats' not in caplog.text
        model(**data, mode='loss')
    assert "20 samples looked up (2 distinct), 0 found: the recorded augmentation " \
        "(['BiTemporalRandomCrop']) almost never repeats, so the cache stores outputs that " \
        "are rarely read. Use mode='replay'" in caplog.text
