# The quick collection: every quick suite (all task families), 3 seeds each, on 2 CPU
# cores: the papers' methods, each with the student, teacher and controls its claim
# needs. Measured from scratch (datasets generated, 48 runs, two at a time): 1 h 38 min
# (benchmarks/README.md, "Budget").
#   python tools/run_benchmark.py benchmarks/suites/quick.py [--family changedet]
# The tuning sweeps (<family>_tuning.py) and the generic distillers (KD, CWD, FitNet, AT,
# affinity, DIST, MGD, IFVD, CIRKD, DKD: baselines_quick.py) run separately.
suites = ['changedet_quick.py', 'roads_quick.py', 'sar_quick.py']
