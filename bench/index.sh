#!/bin/sh
# Index benchmark: 100,000 synthetic runs (20 params, 20 metrics, 10 proof artifacts each), full rebuild time,
# incremental indexing rate, p50/p99 latency of 20 sorted run filters and 5 artifact filters.
# Record the printed figures, with the machine and date, in docs/benchmarks.md.
set -e
root=$(cd "$(dirname "$0")/.." && pwd)
exec "$root/recursa" bench index --dir "$root/target/bench-index" "$@"
