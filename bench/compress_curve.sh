#!/bin/sh
# The compression experiment of docs/experiments.md: compresses each trained vanilla RUN with int8, and with layer
# tying into 2 shared layers x 2 loops under each initialisation (rank 8) and at each LoRA rank (Average init), all
# uptrained for UPTRAIN steps (default 200), plus rank 8 without uptraining; then prints, per compression, the mean
# over the runs of test-id sequence accuracy, the share of the parent's accuracy it keeps (95% t-interval over the
# runs) and how many times smaller the checkpoint is. Usage:
#   UPTRAIN=200 FULL_RANK=128 bench/compress_curve.sh RUN...     (RECURSA_HOME selects the home holding the runs)
set -e
root=$(cd "$(dirname "$0")/.." && pwd)
recursa=${RECURSA:-"$root/recursa"}
uptrain=${UPTRAIN:-200}
full=${FULL_RANK:-128}
compressions="int8
layer-tying init=stepwise rank=8 uptrain.steps=$uptrain
layer-tying init=average rank=8 uptrain.steps=$uptrain
layer-tying init=lower rank=8 uptrain.steps=$uptrain
layer-tying init=average rank=0 uptrain.steps=$uptrain
layer-tying init=average rank=4 uptrain.steps=$uptrain
layer-tying init=average rank=16 uptrain.steps=$uptrain
layer-tying init=average rank=$full uptrain.steps=$uptrain
layer-tying init=average rank=8"
for run in "$@"; do
  echo "$compressions" | while read -r compressor rest; do
    args=""
    for pair in $rest; do args="$args --set $pair"; done
    echo "compressing $run: $compressor $rest" >&2
    # shellcheck disable=SC2086
    "$recursa" compress "$run" --compressor "$compressor" $args --tag exp=compress-curve > /dev/null
  done
done
filter=""
for run in "$@"; do
  filter="${filter:+$filter OR }params.parent = '$run' OR attributes.run_id = '$run'"
done
out=$(mktemp)
"$recursa" runs search "$filter" --format json --max 10000 > "$out"
python3 "$root/bench/compress_summary.py" "$out"
rm -f "$out"
