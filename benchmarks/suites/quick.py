# The quick collection: every quick suite (all task families), 3 seeds each, within
# 2 hours on 2 CPU cores (budget_s x seeds, checked by the tests).
#   python tools/run_benchmark.py benchmarks/suites/quick.py [--family changedet]
# The tuning sweeps (<family>_tuning.py) and the IFVD/CIRKD/DKD baselines
# (baselines_quick.py) run separately.
suites = ['changedet_quick.py', 'roads_quick.py', 'sar_quick.py']
