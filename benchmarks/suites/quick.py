# The quick collection: every quick suite (all task families), 3 seeds each, on 2 CPU
# cores. Target: 2 hours; the entries' estimated budgets (budget_s x seeds) add up to
# about 2.5 h until the collection is measured (the tests bound the estimate).
#   python tools/run_benchmark.py benchmarks/suites/quick.py [--family changedet]
# The tuning sweeps (<family>_tuning.py) and the IFVD/CIRKD/DKD baselines
# (baselines_quick.py) run separately.
suites = ['changedet_quick.py', 'roads_quick.py', 'sar_quick.py']
