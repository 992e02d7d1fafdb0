# Baseline for HFD-Net: EO pre-training -> SAR fine-tuning on SpaceNet 6 (512 crops, 20k iterations).
# The SAR-only student (fcn_r50-hfam_1xb8-20k_spacenet6-sar-512x512.py)
# starts from the trained EO teacher's weights instead of random ones and is
# then trained on SAR alone (no distillation loss, no EO at training).
# Stem mismatch: the EO stem conv takes 3 bands, the SAR one 4. mmengine
# loads every tensor whose shape matches and leaves the others at their
# initialisation, logging e.g. "size mismatch for backbone.stem.0.weight:
# copying a param with shape (.., 3, 3, 3) from checkpoint, the shape in
# current model is (.., 4, 3, 3)": only that first 3x3 conv starts random
# (tests/distill/test_hfd_baselines.py checks exactly this).
_base_ = ['./fcn_r50-hfam_1xb8-20k_spacenet6-sar-512x512.py']
# override with --cfg-options load_from=PATH
load_from = 'work_dirs/fcn_r50-hfam_1xb8-20k_spacenet6-eo-512x512/iter_20000.pth'
# the stem conv differs on purpose: load the matching tensors only (tools refuse
# a partial load unless load_strict=False)
load_strict = False
# starts from the EO teacher's weights (load_from), not from ImageNet: nothing to download
model = dict(backbone=dict(init_cfg=None))
