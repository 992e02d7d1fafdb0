# The quick collection: every quick suite (all task families), 3 seeds each, on 2 CPU
# cores. Target: 2 hours, not met: the runs add up to about 5.1 h, 2.5 h at two at a time;
# one family (--family changedet / roads / sar) takes 0.75-0.9 h (benchmarks/README.md,
# "Budget").
#   python tools/run_benchmark.py benchmarks/suites/quick.py [--family changedet]
# The tuning sweeps (<family>_tuning.py) and the IFVD/CIRKD/DKD baselines
# (baselines_quick.py) run separately.
suites = ['changedet_quick.py', 'roads_quick.py', 'sar_quick.py']
