"""Loss-weight schedules."""
import math

import pytest

from mmkd_rs.distill.schedules import LossWeightSchedule


def test_warmup_decay_and_stop():
    s = LossWeightSchedule(warmup_iters=10, decay='cosine', decay_begin=10, decay_end=20,
                           stop_after=30)
    assert [s(i) for i in (0, 5, 10)] == pytest.approx([0.0, 0.5, 1.0])
    assert s(12.5) == pytest.approx(0.5 * (1 + math.cos(math.pi * 0.25)))
    assert s(15) == pytest.approx(0.5)
    assert s(25) == pytest.approx(0.0)
    lin = LossWeightSchedule(decay='linear', decay_begin=0, decay_end=10, min_factor=0.2,
                             max_factor=2.0)
    assert lin(5) == pytest.approx(2.0 * (0.2 + 0.8 * 0.5))
    stop = LossWeightSchedule(stop_after=3)
    assert [stop(i) for i in range(5)] == [1.0, 1.0, 1.0, 0.0, 0.0]


def test_bad_schedule_is_rejected():
    with pytest.raises(ValueError, match='decay_end'):
        LossWeightSchedule(decay='cosine', decay_begin=5)
    with pytest.raises(ValueError, match="'linear' or"):
        LossWeightSchedule(decay='exp', decay_end=3)
