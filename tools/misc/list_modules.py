"""Print the modules mmkd_rs registers, grouped by role.

Groups: distillation algorithms, distillers, distill losses, connectors,
recorders, models, datasets, transforms, replay operations of the
teacher-output cache, metrics, visualizers, hooks, wrappers.

    python tools/misc/list_modules.py            # the suite's own modules
    python tools/misc/list_modules.py --mmseg    # plus mmseg's, usable by name
    python tools/misc/list_modules.py --json
"""
import argparse
import json

import mmkd_rs  # noqa: F401
from mmkd_rs.utils.module_index import registered_modules


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--mmseg', action='store_true', help="also list mmseg's modules")
    parser.add_argument('--json', action='store_true', help='print JSON')
    args = parser.parse_args(argv)
    groups = registered_modules(include_mmseg=args.mmseg)
    if args.json:
        print(json.dumps({k: [n for n, _ in v] for k, v in groups.items()}, indent=2))
        return
    for title, rows in groups.items():
        print(f'{title} ({len(rows)})')
        for name, module in rows:
            print(f'  {name:<40s} {module}')
        print()


if __name__ == '__main__':
    main()
