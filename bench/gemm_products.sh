#!/bin/sh
# One thread's float32 matrix products on OpenBLAS and on oneDNN (the engine's two product libraries,
# engine/kernel/ProductLibrary), on a training step's and decoding's shapes: microseconds per product, the ratio,
# and how far the two results differ. Computes on the same OpenBLAS as bin/recursa (Debian's when installed).
# Record the printed table, with the machine and date, in docs/benchmarks.md.
set -e
root=$(cd "$(dirname "$0")/.." && pwd)
dist="$root/platform/cli/target/recursa"
[ -d "$dist/lib" ] || "$root/recursa" --version >/dev/null
blas=""
if [ -f /usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0 ] && [ "${RECURSA_BLAS:-auto}" != bundled ]; then
  blas="-Djava.library.path=/usr/lib/x86_64-linux-gnu/openblas-pthread -Dorg.bytedeco.openblas.load=openblas"
  blas="$blas -Dorg.bytedeco.javacpp.pathsFirst=true"
  blas="$blas -Dorg.bytedeco.javacpp.cachedir=${HOME:-/tmp}/.javacpp/cache-system-openblas"
fi
# shellcheck disable=SC2086 # a list of options
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 exec java $blas -cp "$dist/lib/*" "$root/bench/GemmProducts.java"
