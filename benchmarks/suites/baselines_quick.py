# IFVD, CIRKD and DKD in every family, and on roads and EO -> SAR the generic distillers
# that changedet_quick.py carries (CWD, FitNet, AT, affinity, DIST, MGD), on the quick
# suites' protocol (3 seeds, paired with their own student-alone runs); a second
# collection next to quick.py:
#   python tools/run_benchmark.py benchmarks/suites/baselines_quick.py
suites = ['changedet_baselines.py', 'roads_baselines.py', 'sar_baselines.py']
