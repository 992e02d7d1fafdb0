"""Window plans: cores tile the raster, slide windows reproduce whole-raster crops."""
import pytest

from mmkd_rs.apis.windows import WindowPlan, plan_axis


def _slide_crops(length, crop, stride):
    """The crops of mmseg's ``slide_inference`` along one axis, in its order."""
    grids = max(length - crop + stride - 1, 0) // stride + 1
    crops = []
    for index in range(grids):
        stop = min(index * stride + crop, length)
        crops.append((max(stop - crop, 0), stop))
    return crops


@pytest.mark.parametrize('crop', [8, 12, 32])
def test_slide_windows_give_each_core_pixel_the_crops_of_the_whole_raster(crop):
    """Every core pixel is covered, in the same order, by the crops covering it on
    the whole raster: same sum, same count, so the same prediction bit for bit."""
    checked = 0
    for length in range(1, 90, 7):
        for stride in sorted({1, crop // 3 or 1, crop // 2, crop - 1, crop}):
            reference = _slide_crops(length, crop, stride)
            for tile in (1, 9, 24):
                spans = plan_axis(length, tile, 'slide', crop=crop, stride=stride)
                assert [(s.core_start, s.core_stop) for s in spans] == \
                    [(a, min(a + spans[0].core_stop, length))
                     for a in range(0, length, spans[0].core_stop)]
                for span in spans:
                    assert span.read_start % stride == 0
                    local = [(a + span.read_start, b + span.read_start) for a, b in
                             _slide_crops(span.read_stop - span.read_start, crop, stride)]
                    for p in range(span.core_start, span.core_stop):
                        assert [c for c in local if c[0] <= p < c[1]] == \
                            [c for c in reference if c[0] <= p < c[1]], (length, stride, tile, p)
                        checked += 1
    assert checked > 1000


def test_the_last_crop_shifted_to_the_raster_end_is_read():
    # length 90, crop 32, stride 16: mmseg's last crop is [58, 90); it covers
    # pixels 58-63 of the core [32, 64), so that core's window must reach 90
    spans = plan_axis(90, 32, 'slide', crop=32, stride=16)
    assert [(s.core_start, s.core_stop, s.read_start, s.read_stop) for s in spans] == [
        (0, 32, 0, 48), (32, 64, 16, 90), (64, 90, 48, 90)]


def test_whole_windows_are_core_plus_aligned_margin():
    spans = plan_axis(200, 50, 'whole', margin=20, align=32)   # tile 64, margin 32
    assert [(s.core_start, s.core_stop, s.read_start, s.read_stop) for s in spans] == [
        (0, 64, 0, 96), (64, 128, 32, 160), (128, 192, 96, 200), (192, 200, 160, 200)]
    assert all(s.read_start % 32 == 0 for s in spans)


def test_plan_bounds_the_read_window_whatever_the_raster_size():
    test_cfg = dict(mode='slide', crop_size=(256, 256), stride=(192, 192))
    small = WindowPlan.for_model((2000, 3000), test_cfg, tile=1024)
    large = WindowPlan.for_model((20000, 20000), test_cfg, tile=1024)
    # core 1152 (1024 rounded up to the stride) plus at most one crop and one stride
    assert large.max_read_shape == (1408, 1408)
    assert max(small.max_read_shape) <= 1408
    assert len(large) == 18 * 18 and len(small) == 2 * 3   # ceil(20000 / 1152) = 18
    whole = WindowPlan.for_model((20000, 20000), dict(mode='whole'), tile=1000, margin=100)
    assert whole.max_read_shape == (1024 + 2 * 128, 1024 + 2 * 128)


def test_plan_rejects_bad_arguments():
    with pytest.raises(ValueError, match='slide mode needs'):
        plan_axis(10, 4, 'slide')
    with pytest.raises(ValueError, match="'slide' or 'whole'"):
        plan_axis(10, 4, 'tiles')
