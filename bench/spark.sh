#!/bin/sh
# Spark sweep benchmark: the same 8-run sweep (arch=vanilla,universal x seeds 1..4, train.steps=100, the default task)
# with the local executor (2 slots) and with Spark local[2], each on a fresh home; prints the wall time of each and
# the sweep's own lines (per-run times). Record the figures, with the machine and date, in docs/benchmarks.md.
# Run it with nothing else on the machine.
set -e
root=$(cd "$(dirname "$0")/.." && pwd)
out="${1:-$root/target/bench-spark}"
rm -rf "$out" && mkdir -p "$out"
"$root/recursa" --version >/dev/null # build the distribution first, outside the timings
for executor in local spark; do
  home="$out/home-$executor"
  if [ "$executor" = spark ]; then extra="--executor spark --master local[2]"; else extra="--parallel 2"; fi
  start=$(date +%s.%N)
  RECURSA_HOME="$home" "$root/recursa" sweep --grid arch=vanilla,universal --seeds 1..4 --set train.steps=100 \
    --id bench $extra >"$out/$executor.log" 2>&1
  end=$(date +%s.%N)
  echo "$executor: wall $(echo "$end - $start" | bc) s"
  grep -E '^\[|points done|running on|slots' "$out/$executor.log"
done
