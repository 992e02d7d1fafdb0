# Ablation of the prototype source: CCRD with K = 4 prototypes from an online
# cosine k-means (5 iterations) of the teacher's change feature instead of the
# change mask (labels then only mark ignored pixels).
_base_ = ['./ccrd_siam-r18w32_siam-r50_1xb8-20k_levir-cd-256x256.py']

model = dict(distiller=dict(distill_losses=dict(
    loss_ccrd=dict(prototypes='kmeans', num_prototypes=4, kmeans_iters=5))))
