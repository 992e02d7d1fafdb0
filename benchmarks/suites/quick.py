# Every quick suite (all task families), budgeted at <= 20 min on 2 CPU cores.
#   python tools/run_benchmark.py benchmarks/suites/quick.py [--family changedet]
suites = ['changedet_quick.py', 'roads_quick.py', 'sar_quick.py']
