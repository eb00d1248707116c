#!/usr/bin/env python3
"""Fits the rational tanh used by the engine's float32 kernels (org.recursa.engine.kernel.Tanh).

tanh(x) = x P(x^2) / Q(x^2) with P of degree 6 and Q of degree 3 (Q(0) = 1), fitted to tanh(sqrt(z))/sqrt(z) on
Chebyshev nodes of z in [0, 7.905^2] by iterated linear least squares on the relative error (Sanathanan-Koerner
with Lawson-style reweighting towards minimax). Beyond |x| = 7.905 tanh rounds to +-1 in float32, so the kernel
clamps there. Prints the coefficients and the float32 error; numpy is the only dependency.

Usage: python3 bench/tanh_fit.py
"""
import numpy as np
c = 7.90531110763549805
Z = c * c
n = 4000
zs = Z * (1 - np.cos(np.linspace(0, np.pi, n))) / 2   # Chebyshev nodes on [0, Z]
zs[0] = 1e-12
f = np.tanh(np.sqrt(zs)) / np.sqrt(zs)
s = zs / Z   # scaled variable for conditioning
npn, nq = 7, 4
qprev = np.ones(n); w = np.ones(n)
for it in range(200):
    A = np.hstack([np.stack([s**k for k in range(npn)], 1), np.stack([-f * s**k for k in range(1, nq)], 1)])
    W = w / (qprev * f)     # relative error
    sol, *_ = np.linalg.lstsq(A * W[:, None], f * W, rcond=None)
    p = sol[:npn]; q = np.concatenate([[1.0], sol[npn:]])
    Q = sum(q[k] * s**k for k in range(nq)); P = sum(p[k] * s**k for k in range(npn))
    err = (P / Q - f) / f
    qprev = Q
    if it > 20:
        w = w * (np.abs(err) / np.abs(err).mean()) ** 0.3; w /= w.mean()
    if it % 40 == 39: print(it, np.abs(err).max(), Q.min())
# unscale: coefficient of z^k is p_k / Z^k
pz = p / Z ** np.arange(npn); qz = q / Z ** np.arange(nq)
np.set_printoptions(precision=17)
print("P", repr(pz)); print("Q", repr(qz))
def f32(x):
    x = np.clip(x.astype(np.float32), np.float32(-c), np.float32(c)); zz = x * x
    P = np.float32(pz[-1])
    for k in range(npn - 2, -1, -1): P = P * zz + np.float32(pz[k])
    Qv = np.float32(qz[-1])
    for k in range(nq - 2, -1, -1): Qv = Qv * zz + np.float32(qz[k])
    return x * P / Qv
xx = np.linspace(-20, 20, 4000001)
e = np.abs(f32(xx).astype(np.float64) - np.tanh(xx))
print("float32 max abs err", e.max(), "at", xx[e.argmax()])
