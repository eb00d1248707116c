#!/bin/sh
# Catalog benchmark: search p50/p90/p99 of the real catalog server over 10,000 synthetic plugin entries (loopback
# HTTP, 500 warm-up then 2,000 timed requests over a fixed query mix), and the install time of a plugin with a
# three-deep dependency chain (A -> B -> C, made with bnd, signed, served on the loopback address) on fresh homes.
# Record the printed figures, with the machine and date, in docs/benchmarks.md.
set -e
root=$(cd "$(dirname "$0")/.." && pwd)
exec "$root/recursa" bench catalog --dir "$root/target/bench-catalog" "$@"
