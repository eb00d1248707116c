/**
 * Float32 kernels behind the engine's ops: loops over Java arrays that the JIT vectorises, and OpenBLAS called
 * directly on ND4J's memory; and bf16 products through oneDNN ({@code train.precision=bf16}). Private to the
 * engine: ops choose them for float arrays and fall back to their ND4J reference implementations otherwise
 * (docs/architectures.md, "The engine's two paths").
 */
package org.recursa.engine.kernel;
