# Ablation of the iteration-wise random selection: BFDD averaged over all
# 4 x 4 (student, teacher) stage pairs every iteration (deterministic).
_base_ = ['./bfdd_siam-r18w32_siam-r50_1xb8-20k_levir-cd-256x256.py']

model = dict(distiller=dict(distill_losses=dict(loss_bfdd=dict(mode='all', log_pair=False))))
