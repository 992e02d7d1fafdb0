# Quick CPU student-alone run on synthetic roads: LinkNet-18 at quarter width (stem and
# stages 16/32/64/128 channels, decoder output 16; 0.7 M parameters, about 1/45 of the
# D-LinkNet-34 teacher), the student of the quick roads suites. The half-width student
# (linknet_r18w32_*) learned the quick scenes about as well as the teacher (1.9 IoU
# points apart, 1.9 seed standard deviations): too close for a teacher's effect to
# show. This one trails the teacher by 3.5 points with a seed spread of 0.14.
_base_ = ['./linknet_r18w32_1xb4-quick_synth-roads-64x64.py']
model = dict(
    backbone=dict(encoder=dict(stem_channels=16, base_channels=16),
                  encoder_channels=(16, 32, 64, 128)))
