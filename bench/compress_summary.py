"""Summarises compressed runs against their parents (bench/compress_curve.sh).

Reads `recursa runs search --format json` output holding parents and their compressed children and prints, per
compression (compressor and its settings), over the parents: test-id sequence accuracy (mean), the share of each
parent's accuracy the child keeps (mean and 95% t-interval over parents), the accuracy change in points, and how many
times smaller the checkpoint is. Usage: python3 bench/compress_summary.py RUNS.json
"""
import json
import math
import statistics
import sys

# two-sided 95% quantiles of Student's t for 1..10 degrees of freedom
T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228]


def interval(values):
    mean = statistics.fmean(values)
    if len(values) < 2:
        return mean, float("nan")
    half = T95[min(len(values) - 2, len(T95) - 1)] * statistics.stdev(values) / math.sqrt(len(values))
    return mean, half


def label(params):
    settings = {k[len("compressor."):]: v for k, v in params.items() if k.startswith("compressor.")}
    shown = [f"{k}={settings[k]}" for k in ("init", "rank", "uptrain.steps") if k in settings]
    return params["compressor"] + (" " + " ".join(shown) if shown else "")


def main(path):
    runs = json.load(open(path))
    parents = {r["run_id"]: r for r in runs if "parent" not in r["params"]}
    groups = {}
    for run in runs:
        params = run["params"]
        if "compressor" not in params or params.get("parent") not in parents:
            continue
        groups.setdefault(label(params), []).append(run)
    print(f"parents: {len(parents)}; test-id distinct inputs per parent: "
          f"{sorted(int(p['metrics'].get('distinct_inputs_test_id', 0)) for p in parents.values())}")
    parent_acc = [p["metrics"]["seq_acc_test_id"] for p in parents.values()]
    print(f"parent test-id seq acc: mean {statistics.fmean(parent_acc):.3f} "
          f"(runs: {', '.join(f'{a:.3f}' for a in parent_acc)})")
    print(f"{'COMPRESSION':<52} {'N':>2} {'SEQ ACC':>8} {'KEPT':>7} {'95% CI':>17} {'CHANGE PT':>10} {'SMALLER':>8}")
    for name, children in sorted(groups.items()):
        acc = [c["metrics"]["seq_acc_test_id"] for c in children]
        kept = [c["metrics"]["seq_acc_test_id"] / parents[c["params"]["parent"]]["metrics"]["seq_acc_test_id"]
                for c in children]
        change = [100 * (c["metrics"]["seq_acc_test_id"]
                         - parents[c["params"]["parent"]]["metrics"]["seq_acc_test_id"]) for c in children]
        ratio = [c["metrics"]["compression_ratio"] for c in children]
        mean, half = interval(kept)
        cmean, chalf = interval(change)
        print(f"{name:<52} {len(children):>2} {statistics.fmean(acc):>8.3f} {mean:>7.3f} "
              f"[{mean - half:.3f}, {mean + half:.3f}] {cmean:>+6.1f}±{chalf:<4.1f} {statistics.fmean(ratio):>7.2f}x")


if __name__ == "__main__":
    main(sys.argv[1])
