#!/bin/sh
# Greedy decoding throughput of Recursa's architectures, uncached and over the key/value cache, beside PyTorch's
# cached decoding of the same model (when python3-torch is installed): d=128, 4 heads, FFN 4d, total lengths
# 32-256 (half prompt, half generated), batch 1 and 8. Record the printed table, with the machine and date, in
# docs/benchmarks.md.
set -e
root=$(cd "$(dirname "$0")/.." && pwd)
exec "$root/recursa" bench decode "$@"
