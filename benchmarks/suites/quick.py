# The quick collection: every quick suite (all task families), 3 seeds each, on 2 CPU
# cores. Target: 2 hours; the change-detection suite measured 53 min (30 runs, one at a
# time), and the collection is estimated at 2.75-3 h (benchmarks/README.md, "Budget").
#   python tools/run_benchmark.py benchmarks/suites/quick.py [--family changedet]
# The tuning sweeps (<family>_tuning.py) and the IFVD/CIRKD/DKD baselines
# (baselines_quick.py) run separately.
suites = ['changedet_quick.py', 'roads_quick.py', 'sar_quick.py']
