"""tools/train.py gives loss-weight schedules the training iteration (DistillIterHook)."""
import glob
import json
import sys

from conftest import REPO
from mmengine.config import Config

sys.path.insert(0, str(REPO / 'tools'))
from train import main as train_main  # noqa: E402

SCHEDULE = "model['distiller']['loss_weight_schedules'] = dict(loss_kd=dict(warmup_iters=4))\n"


def test_schedule_factor_follows_the_iteration_of_a_train_tool_run(tiny, monkeypatch):
    from test_resume_exact import DISTILL
    monkeypatch.setenv('OMP_NUM_THREADS', '1')
    tmp, cfg = tiny
    (tmp / 'kd.py').write_text(open(cfg).read() + DISTILL + SCHEDULE)
    assert 'DistillIterHook' not in str(Config.fromfile(tmp / 'kd.py').get('custom_hooks'))
    train_main([str(tmp / 'kd.py'), '--work-dir', str(tmp / 'wd'), '--cfg-options',
                'experiment_name=iter-hook', 'visualizer.name=iter-hook'])
    scalars = glob.glob(str(tmp / 'wd' / '*' / 'vis_data' / 'scalars.json'))
    rows = [json.loads(line) for line in open(scalars[0])]
    weights = {r['step']: r['distill.weight_kd'] for r in rows if 'distill.weight_kd' in r}
    # factor of iteration i (0-based) is i / 4; mmengine logs it at step i + 1
    assert weights == {1: 0.0, 2: 0.25, 3: 0.5, 4: 0.75}
