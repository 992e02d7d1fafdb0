# The generic distillers (KD, CWD, FitNet, AT, affinity, DIST, MGD, IFVD, CIRKD, DKD)
# in every family, on the quick suites' protocol (3 seeds, paired with their own
# student-alone runs, which are the quick suites' runs, shared); the collection next to
# quick.py, which holds the papers' own methods:
#   python tools/run_benchmark.py benchmarks/suites/baselines_quick.py
suites = ['changedet_baselines.py', 'roads_baselines.py', 'sar_baselines.py']
