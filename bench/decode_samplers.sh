#!/bin/sh
# Adaptive-depth samplers against greedy on trained runs: re-evaluates each RUN with every sampler setting below
# (`recursa eval`, one derived run each) and prints, per setting, the test-id sequence accuracy with its 95%
# interval, generated tokens/s on test-id and the mean recursions per generated token. Usage:
#   bench/decode_samplers.sh RUN...        (RECURSA_HOME selects the home holding the runs)
# The table goes to docs/benchmarks.md with the machine, the date and the commit.
set -e
root=$(cd "$(dirname "$0")/.." && pwd)
recursa=${RECURSA:-"$root/recursa"}
settings='greedy
early-exit criterion=latent threshold=0.01
early-exit criterion=latent threshold=0.05
early-exit criterion=latent threshold=0.2
early-exit criterion=prediction threshold=0.001
early-exit criterion=prediction threshold=0.01
depthwise-batching criterion=latent threshold=0.05
diffusion-forcing exit_threshold=0.01
diffusion-forcing exit_threshold=0.03
diffusion-forcing exit_threshold=0.1'
printf '%-34s %-50s %-9s %-16s %-9s %s\n' RUN SAMPLER "SEQ ACC" "95% CI" "TOK/S" "DEPTH/TOKEN"
for run in "$@"; do
  echo "$settings" | while read -r sampler rest; do
    args=""
    for pair in $rest; do args="$args --set sampler.$pair"; done
    # shellcheck disable=SC2086
    out=$("$recursa" eval "$run" --sampler "$sampler" $args 2>&1) || { echo "$out" >&2; exit 1; }
    line=$(echo "$out" | awk '/^test-id/ {getline; print}')
    set -- $line
    printf '%-34s %-50s %-9s %-16s %-9s %s\n' "$(echo "$run" | cut -d- -f3-)" "$sampler $rest" "$4" "$5 $6" "$7" "$8"
  done
done
