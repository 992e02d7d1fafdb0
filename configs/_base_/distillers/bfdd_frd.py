# BFDD as the FRD ablation configs of configs/frd/ run it: bfdd.py with the loss's
# other defaults stated explicitly: all 4 stages of each side, torch's generator
# (seeded by `randomness`), features not normalised before the distances.
# A method config takes the distiller with `distiller=_base_.pop('bfdd_distiller')`.
_base_ = ['./bfdd.py']
bfdd_distiller = dict(distill_losses=dict(loss_bfdd=dict(
    normalize_features=False, student_stages=None, teacher_stages=None, seed=None)))
