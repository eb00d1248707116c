#!/bin/sh
# Reruns the experiments of docs/experiments.md through `recursa sweep` and prints every figure the page quotes:
# per configuration and split, the mean over seeds, its standard deviation and 95% t-interval (`sweep show`), and
# every run's parameters and metrics, distinct inputs and Wilson intervals per split included (`runs search`, CSV). docs/experiments.md states only what this script printed, with the commit.
#
#   bench/experiments.sh                      every experiment, seeds 1..5
#   SEEDS=1..3 bench/experiments.sh successor one experiment with three seeds
#
# Experiments: successor (binary successor, io: vanilla / universal / mor), edge (the same with edge-case
# oversampling), length (copy, reverse, addition trained on inputs of at most 4 and tested up to 40, across position
# encodings, with models of width 64), trace (binary successor, io against trace mode, 600 steps each), depth
# (bool-eval with universal, recurrent-depth and loopformer at width 64, each evaluated at inference depths 1 to 16),
# curriculum (bool-eval with universal of 6 recursions, CGAR's depth curriculum against none). The default is the
# first four; depth and curriculum are named explicitly. A sweep is named after the experiment and the commit, so running
# the script again on the same commit resumes what an interrupted run left (finished runs are not redone).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
recursa="$root/recursa"
seeds=${SEEDS:-1..5}
experiments=${*:-successor edge length trace}
commit=$(git -C "$root" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit, seeds $seeds"
echo "# machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB"
"$recursa" --version | sed 's/^/# /'

# sweep NAME ARGS...: runs (or resumes) the sweep exp-NAME-COMMIT and prints its summary
sweep() {
    name=$1
    shift
    id="exp-$name-$commit"
    echo
    echo "## $name: recursa sweep $* --seeds $seeds"
    if "$recursa" sweep show "$id" >/dev/null 2>&1; then
        "$recursa" sweep resume "$id"
    else
        "$recursa" sweep "$@" --seeds "$seeds" --id "$id"
    fi
    "$recursa" sweep show "$id"
    "$recursa" runs search "tags.sweep = '$id'" --format csv --max 100000
}

for experiment in $experiments; do
    case $experiment in
        successor)
            sweep successor --task binary-successor --grid arch=vanilla,universal,mor ;;
        edge)
            sweep edge --task binary-successor --grid arch=vanilla,universal --set task.edge_fraction=0.3 ;;
        length)
            # width 64 (a quarter of the default's multiply-adds): inputs of at most 4 symbols need no more, and the
            # 120 runs of this experiment then fit a session of the 2-core reference machine
            for task in copy reverse addition; do
                sweep "length-$task" --task "$task" --grid arch=vanilla,universal \
                    --grid arch.positions=learned,sinusoidal,rope,none --set task.max_length=4 --set task.ood_length=40 \
                    --set arch.d_model=64 --set arch.ffn=256
            done ;;
        depth)
            sweep depth --task bool-eval --grid arch=universal,recurrent-depth,loopformer \
                --set arch.d_model=64 --set arch.ffn=256 --set train.steps=1000 --set eval.recursions=1,2,4,8,16
            "$recursa" runs search "tags.sweep = 'exp-depth-$commit'" --format csv --max 100000 \
                | python3 "$root/bench/depth_frontier.py" ;;
        curriculum)
            sweep curriculum --task bool-eval --arch universal --grid train.depth_curriculum=none,cgar \
                --set arch.recursions=6 --set arch.d_model=64 --set arch.ffn=256 --set train.steps=1000 ;;
        trace)
            for mode in io trace; do
                sweep "trace-$mode" --task binary-successor --arch universal --mode "$mode" --set train.steps=600
            done ;;
        *)
            echo "unknown experiment '$experiment'; choose from successor edge length trace depth curriculum" >&2
            exit 2 ;;
    esac
done
