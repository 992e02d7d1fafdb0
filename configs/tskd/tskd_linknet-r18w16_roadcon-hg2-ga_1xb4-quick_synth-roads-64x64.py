# TSKD-Road with Xu et al.'s connectivity network as the teacher: the pixel KD on the
# segmentation logits, the feature mimic and the topological space loss's teacher term
# come from the roadcon network (stacked hourglass, hourglass width 128, 7.7 M
# parameters); the mimic matches the student's stride-4 decoder output (16 channels)
# to the hourglass trunk's last stack (128 channels, 1/4 resolution) through a 1x1
# conv-BN connector. The topological feature space stays the frozen D-LinkNet-34
# encoder of the TSKD teacher (stages 0-2, scales 1 and 1/2): the hourglass trunk has no
# encoder stages, and keeping the space fixed makes the teacher the only change
# against configs/tskd/tskd_linknet-r18w16_dlinknet-r34_1xb4-quick_synth-roads-64x64.py.
# Train both networks first; override their weights with
#   --cfg-options model.teacher_ckpt=PATH
#                 model.distiller.distill_losses.loss_topo.feature_net.ckpt=PATH
_base_ = ['./tskd_linknet-r18w16_dlinknet-r34_1xb4-quick_synth-roads-64x64.py']

# the teacher (top-level names as every distillation config: the teacher it loads)
teacher_config = 'configs/roadcon/roadcon_hg2-ga_1xb4-quick_synth-roads-64x64.py'
teacher_ckpt = 'work_dirs/roadcon_hg2-ga_1xb4-quick_synth-roads-64x64/iter_300.pth'
model = dict(
    teacher=teacher_config, teacher_ckpt=teacher_ckpt,
    distiller=dict(
        teacher_recorders=dict(
            _delete_=True,
            logits=dict(type='ModuleOutputs', source='decode_head.conv_seg'),
            decoder=dict(type='ModuleOutputs', source='backbone.post.1')),
        connectors=dict(mimic=dict(in_channels=16, out_channels=128)),
        # the topological feature space: the D-LinkNet-34 teacher's encoder
        distill_losses=dict(loss_topo=dict(feature_net=dict(
            _delete_=True, cfg=_base_.teacher_config, ckpt=_base_.teacher_ckpt,
            module='backbone.encoder')))))
