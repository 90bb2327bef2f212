#!/usr/bin/env python3
"""Ratios of a scripts/bench-ab.sh core run kept with JSON_DIR: for each benchmark, every jar's score per round
(in JMH's unit, thousands for ops/s), then each jar's ratio to BASELINE per round, their median and the ratio of
the sums over the rounds both ran.

    scripts/bench-ab-ratios.py DIR BASELINE      e.g. scripts/bench-ab-ratios.py /tmp/ab prerules
"""
import glob
import json
import os
import re
import statistics
import sys


def scores(directory):
    """{benchmark: {jar: {round: score}}} from DIR/<jar>-<round>.json."""
    found = {}
    for path in glob.glob(os.path.join(directory, '*.json')):
        match = re.fullmatch(r'(.*)-(\d+)\.json', os.path.basename(path))
        if not match:
            continue
        try:
            results = json.load(open(path))
        except ValueError:  # a run cut off before JMH wrote its result
            continue
        for result in results:
            benchmark = result['benchmark'].rsplit('.', 1)[-1]
            metric = result['primaryMetric']
            scale = 1000 if metric['scoreUnit'] == 'ops/s' else 1
            found.setdefault(benchmark, {}).setdefault(match.group(1), {})[int(match.group(2))] = \
                metric['score'] / scale
    return found


def main(directory, baseline):
    for benchmark, jars in sorted(scores(directory).items()):
        print(benchmark)
        for jar, rounds in sorted(jars.items()):
            print('  %-10s %s   sum %.1f' % (jar, ' '.join('%7.1f' % rounds[r] for r in sorted(rounds)),
                                           sum(rounds.values())))
        base = jars.get(baseline)
        if base is None:
            continue
        for jar, rounds in sorted(jars.items()):
            both = sorted(r for r in rounds if r in base and jar != baseline)
            if not both:
                continue
            ratios = [rounds[r] / base[r] for r in both]
            print('  %s / %s: %s   median %.2f   sums %.2f' % (
                jar, baseline, ' '.join('%.2f' % x for x in ratios), statistics.median(ratios),
                sum(rounds[r] for r in both) / sum(base[r] for r in both)))


if __name__ == '__main__':
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
