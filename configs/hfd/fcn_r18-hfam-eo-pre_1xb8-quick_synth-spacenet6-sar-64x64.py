# Baseline for HFD-Net: EO pre-training -> SAR fine-tuning on synthetic SpaceNet 6 pairs
# (64 px, quick CPU variant).
# The SAR-only student (fcn_r18-hfam_1xb8-quick_synth-spacenet6-sar-64x64.py)
# starts from the trained EO teacher's weights instead of random ones and is
# then trained on SAR alone (no distillation loss, no EO at training).
# Stem mismatch: the EO stem conv takes 3 bands, the SAR one 4. mmengine
# loads every tensor whose shape matches and leaves the others at their
# initialisation, logging e.g. "size mismatch for backbone.stem.0.weight:
# copying a param with shape (.., 3, 3, 3) from checkpoint, the shape in
# current model is (.., 4, 3, 3)": only that first 3x3 conv starts random
# (tests/distill/test_hfd_baselines.py checks exactly this).
_base_ = ['./fcn_r18-hfam_1xb8-quick_synth-spacenet6-sar-64x64.py']
# override with --cfg-options load_from=PATH
load_from = 'work_dirs/fcn_r18-hfam_1xb8-quick_synth-spacenet6-eo-64x64/iter_300.pth'
# the stem conv differs on purpose: load the matching tensors only (tools refuse
# a partial load unless load_strict=False)
load_strict = False
