#!/bin/sh
# Training throughput of Recursa's architectures beside PyTorch (when python3-torch is installed), on the
# reference configuration: d=128 and d=256, 4 heads, FFN 4d, 4 layers/recursions, batch 64 x 32, vocabulary 16.
# Record the printed table, with the machine and date, in docs/benchmarks.md.
set -e
root=$(cd "$(dirname "$0")/.." && pwd)
exec "$root/recursa" bench train "$@"
