#!/usr/bin/env python3
"""Accuracy by the depth a problem needs against the depth a model ran at, over the runs of a sweep.

Reads `recursa runs search ... --format csv` on stdin (the runs of one sweep evaluated at several inference depths,
`eval.recursions`) and each run's final.json from the run store, and prints, for every architecture and split, the
sequence accuracy of the examples whose FEATURE (default `steps`, the reduction steps an example needs) falls in
each bucket, at each inference depth: the mean over the runs (seeds) of each run's accuracy on those examples, with
the number of runs. A computational frontier shows as accuracy that rises once the inference depth reaches the
steps a bucket needs.

Usage: recursa runs search "tags.sweep = 'ID'" --format csv | bench/depth_frontier.py [--feature steps]
       [--buckets 1-2,3-4,5-6,7-8,9-99]
The run store is $RECURSA_HOME/runs, or ~/.recursa/runs (the account's home directory, as recursa uses).
"""
import argparse
import csv
import json
import os
import pwd
import sys
from collections import defaultdict


def runs_dir():
    home = os.environ.get("RECURSA_HOME") or os.path.join(pwd.getpwuid(os.getuid()).pw_dir, ".recursa")
    return os.path.join(home, "runs")


def bucket_of(value, buckets):
    for low, high in buckets:
        if low <= value <= high:
            return (low, high)
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--feature", default="steps")
    parser.add_argument("--buckets", default="1-2,3-4,5-6,7-8,9-99")
    args = parser.parse_args()
    buckets = [tuple(int(x) for x in part.split("-")) for part in args.buckets.split(",")]
    # (arch, split, depth, bucket) -> list of per-run accuracies
    cells = defaultdict(list)
    for row in csv.DictReader(sys.stdin):
        if row.get("status") != "finished":
            continue
        with open(os.path.join(runs_dir(), row["run_id"], "final.json")) as f:
            end = json.load(f)
        for depth, splits in (end.get("depths") or {}).items():
            for split, result in splits.items():
                per_bucket = defaultdict(lambda: [0.0, 0])
                for value, cell in result.get("by_feature", {}).get(args.feature, {}).items():
                    bucket = bucket_of(int(value), buckets)
                    if bucket is not None:
                        per_bucket[bucket][0] += cell["seq_acc"] * cell["examples"]
                        per_bucket[bucket][1] += cell["examples"]
                for bucket, (right, examples) in per_bucket.items():
                    if examples:
                        cells[(row["arch"], split, int(depth), bucket)].append(right / examples)
    archs = sorted({k[0] for k in cells}, key=lambda a: [k[0] for k in cells].index(a))
    header = ["ARCH", "SPLIT", "DEPTH"] + ["%s %d-%d" % (args.feature, low, high) for low, high in buckets]
    rows = [header]
    for arch in archs:
        for split in sorted({k[1] for k in cells if k[0] == arch}):
            for depth in sorted({k[2] for k in cells if k[0] == arch and k[1] == split}):
                line = [arch, split, str(depth)]
                for bucket in buckets:
                    values = cells.get((arch, split, depth, bucket), [])
                    line.append("-" if not values else "%.3f (%d)" % (sum(values) / len(values), len(values)))
                rows.append(line)
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    print("seq acc by %s (mean over runs, runs in parentheses) at each inference depth" % args.feature)
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())


if __name__ == "__main__":
    main()
