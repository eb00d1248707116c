#!/usr/bin/env python3
"""The PyTorch side of `recursa bench train`: the same model, data shape and optimiser as Recursa's
TrainBenchmark, timed the same way (steps after a warm-up, B x T tokens per second). Prints one JSON line.

Models follow Recursa's: pre-norm GPT blocks (LayerNorm, causal multi-head attention with a packed qkv
projection, tanh-GELU MLP), learned token and position embeddings, final LayerNorm, untied head.
`universal` loops one block `layers` times, adding position and a learned step embedding before each step.
`relaxed` is the Relaxed Recursive Transformer (see `Relaxed`): shared layers cycled, each depth with its own
biases, norms and LoRAs, the q/k/v LoRA fused or one per projection.
`recurrent-depth` is the recurrent-depth transformer (Huginn, see `RecurrentDepth`): prelude blocks, a block of
layers looped `recurrence` times on a latent state with the prelude's output injected by a linear adapter, and
coda blocks; in training mode only the last `backprop_depth` recursions are back-propagated through.
`mor` is Mixture-of-Recursions with Middle-Cycle sharing as Recursa's MorModel computes it (see `Mor`), written
the way MoR is written for speed in PyTorch: each recursion gathers the routed tokens into a dense tensor, runs the
shared blocks on them alone and scatters the gated update back.
`loopformer` is LoopFormer (see `Loopformer`): shared blocks under AdaLN-zero modulation by time and step size,
looped along a trajectory of step sizes, trained with a short trajectory and a consistency loss.

Every model returns (logits, aux) where aux maps the names of Recursa's auxiliary losses (already weighted) to
scalars that the trainer adds to the task loss; a model whose task loss supervises more than its logits (LoopFormer's
short trajectory) returns (logits, aux, supervised), a list of (logits, weight) whose weighted cross-entropies sum to
the task loss.
"""
import argparse
import json
import math
import random
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def attention(qkv, heads, keep=None):
    """Causal multi-head attention over a packed (B, T, 3C) q/k/v; (B, T, C) before the output projection."""
    b, t, c = qkv.shape[0], qkv.shape[1], qkv.shape[2] // 3
    q, k, v = qkv.view(b, t, 3, heads, c // heads).permute(2, 0, 3, 1, 4)
    scores = (q @ k.transpose(-2, -1)) / math.sqrt(c // heads)
    mask = torch.triu(torch.ones(t, t, dtype=torch.bool), diagonal=1)
    scores = scores.masked_fill(mask, -1e9)
    if keep is not None:  # (B, T) bool: padding keys are masked for every query, as in Recursa
        scores = scores.masked_fill(~keep[:, None, None, :], -1e9)
    y = F.softmax(scores, dim=-1) @ v
    return y.transpose(1, 2).reshape(b, t, c)


class Block(nn.Module):
    def __init__(self, width, heads, hidden):
        super().__init__()
        self.heads = heads
        self.ln1 = nn.LayerNorm(width)
        self.qkv = nn.Linear(width, 3 * width)
        self.proj = nn.Linear(width, width)
        self.ln2 = nn.LayerNorm(width)
        self.up = nn.Linear(width, hidden)
        self.down = nn.Linear(hidden, width)

    def attend(self, x, keep=None):
        return self.proj(attention(self.qkv(x), self.heads, keep))

    def forward(self, x, keep=None):
        x = x + self.attend(self.ln1(x), keep)
        return x + self.down(F.gelu(self.up(self.ln2(x)), approximate="tanh"))


class Model(nn.Module):
    def __init__(self, arch, vocab, length, width, heads, hidden, layers):
        super().__init__()
        self.arch = arch
        self.tokens = nn.Embedding(vocab, width)
        self.positions = nn.Embedding(length, width)
        unique = layers if arch == "vanilla" else 1
        self.blocks = nn.ModuleList(Block(width, heads, hidden) for _ in range(unique))
        self.steps = nn.Embedding(layers, width) if arch == "universal" else None
        self.layers = layers
        self.final = nn.LayerNorm(width)
        self.head = nn.Linear(width, vocab)

    def forward(self, ids, keep=None):
        pos = self.positions(torch.arange(ids.shape[1]))
        h = self.tokens(ids) + pos
        if self.arch == "vanilla":
            for block in self.blocks:
                h = block(h, keep)
        else:
            for step in range(self.layers):
                h = self.blocks[0](h + pos + self.steps.weight[step], keep)
        return self.head(self.final(h)), {}


class RecurrentDepth(nn.Module):
    """Recursa's RecurrentDepthModel from a zero initial state (its init_state=zeros) at a fixed r = `recurrence`:
    e = Prelude(E[x] + P); s_i = Recurrent(adapter([s_{i-1} | e])), i = 1..r; logits = head(LN(Coda(s_r))). In
    training mode the state entering the last `backprop_depth` recursions is detached, so those recursions alone
    are back-propagated through, as in Huginn's truncated backpropagation (the earlier ones run under no_grad
    there; detaching the state gives the same gradients)."""

    def __init__(self, vocab, length, width, heads, hidden, prelude_layers=1, recurrent_layers=2, coda_layers=1,
                 recurrence=4, backprop_depth=None):
        super().__init__()
        self.tokens = nn.Embedding(vocab, width)
        self.positions = nn.Embedding(length, width)
        self.prelude = nn.ModuleList(Block(width, heads, hidden) for _ in range(prelude_layers))
        self.adapter = nn.Linear(2 * width, width)
        self.recurrent = nn.ModuleList(Block(width, heads, hidden) for _ in range(recurrent_layers))
        self.coda = nn.ModuleList(Block(width, heads, hidden) for _ in range(coda_layers))
        self.recurrence = recurrence
        self.backprop_depth = backprop_depth
        self.final = nn.LayerNorm(width)
        self.head = nn.Linear(width, vocab)

    def forward(self, ids, keep=None):
        e = self.tokens(ids) + self.positions(torch.arange(ids.shape[1]))
        for block in self.prelude:
            e = block(e, keep)
        s = torch.zeros_like(e)
        r = self.recurrence
        kept = min(self.backprop_depth, r) if self.training and self.backprop_depth else r
        for i in range(r):
            if i == r - kept:
                s = s.detach()
            s = self.adapter(torch.cat([s, e], dim=-1))
            for block in self.recurrent:
                s = block(s, keep)
        for block in self.coda:
            s = block(s, keep)
        return self.head(self.final(s)), {}


class Lora(nn.Module):
    """(x A^T) B^T, A (r, in) from N(0, 0.02^2) and B (out, r) zero, as Recursa's LoraLinear."""

    def __init__(self, inputs, outputs, rank):
        super().__init__()
        self.a = nn.Parameter(torch.randn(rank, inputs) * 0.02)
        self.b = nn.Parameter(torch.zeros(outputs, rank))

    def forward(self, x):
        return F.linear(F.linear(x, self.a), self.b)


class RelaxedLinear(nn.Module):
    """One depth's use of a shared weight W (out, in), passed in: x W^T + b + its LoRA, r capped at full rank.

    With `projections` (q, k, v) the map is that many projections, each with its rows of W and b and a LoRA of its
    own, their outputs concatenated: the authors' q_proj, k_proj and v_proj. Recursa keeps the packed product and
    lays the three corrections side by side instead, so the parity test checks that the two agree.
    """

    def __init__(self, inputs, outputs, rank, projections=()):
        super().__init__()
        self.projections = list(projections)
        pieces = max(1, len(self.projections))
        self.bias = nn.Parameter(torch.zeros(outputs))
        rank = min(rank, inputs, outputs // pieces)
        if rank == 0:
            self.lora = None
        elif self.projections:
            self.lora = nn.ModuleDict({p: Lora(inputs, outputs // pieces, rank) for p in self.projections})
        else:
            self.lora = Lora(inputs, outputs, rank)

    def forward(self, x, weight):
        if self.projections and self.lora is not None:
            rows = zip(self.projections, weight.chunk(len(self.projections)), self.bias.chunk(len(self.projections)))
            return torch.cat([F.linear(x, w, b) + self.lora[p](x) for p, w, b in rows], dim=-1)
        y = F.linear(x, weight, self.bias)
        return y if self.lora is None else y + self.lora(x)


class SharedWeights(nn.Module):
    """The four weight matrices (out, in) of one shared layer, which every depth tied to it uses."""

    def __init__(self, width, hidden):
        super().__init__()
        self.qkv = nn.Parameter(torch.randn(3 * width, width) * 0.02)
        self.proj = nn.Parameter(torch.randn(width, width) * 0.02)
        self.up = nn.Parameter(torch.randn(hidden, width) * 0.02)
        self.down = nn.Parameter(torch.randn(width, hidden) * 0.02)


class RelaxedBlock(nn.Module):
    """One depth: Block's computation over shared weights, with its own norms, biases and LoRAs."""

    def __init__(self, width, heads, hidden, rank, lora_qkv):
        super().__init__()
        self.heads = heads
        self.ln1 = nn.LayerNorm(width)
        self.qkv = RelaxedLinear(width, 3 * width, rank, ("q", "k", "v") if lora_qkv == "separate" else ())
        self.proj = RelaxedLinear(width, width, rank)
        self.ln2 = nn.LayerNorm(width)
        self.up = RelaxedLinear(width, hidden, rank)
        self.down = RelaxedLinear(hidden, width, rank)

    def forward(self, x, w, keep=None):
        x = x + self.proj(attention(self.qkv(self.ln1(x), w.qkv), self.heads, keep), w.proj)
        return x + self.down(F.gelu(self.up(self.ln2(x), w.up), approximate="tanh"), w.down)


class Relaxed(nn.Module):
    """Relaxed Recursive Transformer (Bae et al., ICLR 2025) as Recursa's RelaxedModel: depth l = 0..L-1
    (L = shared_layers x loops) uses shared layer l mod shared_layers (CYCLE) and its own norms, biases and LoRAs
    of rank lora_rank; lora_qkv="separate" gives q, k and v a LoRA each (as the paper's models), "fused" one LoRA of
    the packed q/k/v matrix."""

    def __init__(self, vocab, length, width, heads, hidden, shared_layers=2, loops=2, lora_rank=8, lora_qkv="fused"):
        super().__init__()
        if lora_qkv not in ("fused", "separate"):
            raise ValueError("lora_qkv must be fused or separate, not %r" % lora_qkv)
        self.tokens = nn.Embedding(vocab, width)
        self.positions = nn.Embedding(length, width)
        self.shared = nn.ModuleList(SharedWeights(width, hidden) for _ in range(shared_layers))
        self.depths = nn.ModuleList(RelaxedBlock(width, heads, hidden, lora_rank, lora_qkv)
                                    for _ in range(shared_layers * loops))
        self.final = nn.LayerNorm(width)
        self.head = nn.Linear(width, vocab)

    def forward(self, ids, keep=None):
        h = self.tokens(ids) + self.positions(torch.arange(ids.shape[1]))
        for l, depth in enumerate(self.depths):
            h = depth(h, self.shared[l % len(self.shared)], keep)
        return self.head(self.final(h)), {}


class Mor(nn.Module):
    """Mixture-of-Recursions (Bae, Kim, Bayat et al., 2025) exactly as Recursa's MorModel, recursion-wise KV.

    Middle-Cycle sharing: first block, `base_depth` shared blocks applied up to `recursions` times, last block.
    Expert-choice: router r (no bias) scores every token, the gate is gate_scale * sigmoid(score); in training
    each sequence keeps the k_r = max(1, floor((N_r - r) / N_r * T_b)) best of the tokens selected at the previous
    recursion (r = 0..N_r-1, T_b its real length), at inference the candidates with a positive score. The selected
    tokens, in position order, pass the shared blocks attending causally among themselves only, and
    h <- h + g * f(h) for them (f includes the blocks' residuals). Aux loss: aux_weight times the mean over real
    tokens of BCE(score, selected), every recursion (B T tokens when nothing is padding, as in the paper); with
    router_bce="candidates" (the authors' code), the mean over the current candidates only.
    Token-choice: p = softmax(W h1 + b) over depths, depth i = argmax p; the tokens with i >= r pass the shared
    blocks at recursion r, and a token leaves with h1 + p_i f^(i+1)(h1); balancing loss
    balance_weight * sum_j f_j P_j, f_j = N_r * count_j / R, P_j = sum of p_j / R over the R real tokens.
    """

    def __init__(self, vocab, length, width, heads, hidden, recursions=3, base_depth=1, router="expert",
                 gate_scale=0.1, aux_weight=0.001, balance_weight=0.1, router_bce="all"):
        super().__init__()
        if router not in ("expert", "token"):
            raise ValueError("router must be expert or token, not %r" % router)
        if router_bce not in ("all", "candidates"):
            raise ValueError("router_bce must be all or candidates, not %r" % router_bce)
        self.router_bce = router_bce
        self.recursions = recursions
        self.expert = router == "expert"
        self.gate_scale = gate_scale
        self.aux_weight = aux_weight
        self.balance_weight = balance_weight
        self.tokens = nn.Embedding(vocab, width)
        self.positions = nn.Embedding(length, width)
        self.first = Block(width, heads, hidden)
        self.shared = nn.ModuleList(Block(width, heads, hidden) for _ in range(base_depth))
        self.last = Block(width, heads, hidden)
        if self.expert:
            self.routers = nn.ModuleList(nn.Linear(width, 1, bias=False) for _ in range(recursions))
        else:
            self.router = nn.Linear(width, recursions)
        self.final = nn.LayerNorm(width)
        self.head = nn.Linear(width, vocab)

    def forward(self, ids, keep=None):
        h = self.tokens(ids) + self.positions(torch.arange(ids.shape[1]))
        h = self.first(h, keep)
        real = keep if keep is not None else torch.ones(ids.shape, dtype=torch.bool)
        h, aux = self.expert_choice(h, real) if self.expert else self.token_choice(h, real)
        return self.head(self.final(self.last(h, keep))), aux

    def recurse(self, x, valid):
        """The shared blocks on gathered tokens (B, k, C), causal in slot order; padding slots are never keys."""
        keep = None if bool(valid.all()) else valid
        for block in self.shared:
            x = block(x, keep)
        return x

    @staticmethod
    def pack(chosen):
        """(B, T) bool -> (B, k) positions of the chosen tokens in order, padded with T; k = most chosen in a row."""
        b, t = chosen.shape
        slots = torch.where(chosen, torch.arange(t), torch.full_like(chosen, t, dtype=torch.long))
        return slots.sort(dim=1).values[:, :int(chosen.sum(dim=1).max())]

    def expert_choice(self, h, real):
        b, t, c = h.shape
        lengths = real.sum(dim=1).tolist()
        candidate = real
        aux = {}
        for r, router in enumerate(self.routers):
            score = router(h).squeeze(-1)                                       # (B, T)
            if self.training:
                capacity = (self.recursions - r) / self.recursions
                k = [max(1, math.floor(capacity * n)) for n in lengths]
                best = score.detach().masked_fill(~candidate, float("-inf")).topk(max(k), dim=1).indices
                taken = (torch.arange(max(k)) < torch.tensor(k)[:, None]) & candidate.gather(1, best)
                slots = torch.where(taken, best, torch.full_like(best, t)).sort(dim=1).values
            else:
                chosen = candidate & (score.detach() > 0)                       # sigmoid(score) > 0.5
                if not bool(chosen.any()):
                    break
                slots = self.pack(chosen)
            valid = slots < t
            selected = torch.zeros(b, t + 1, dtype=h.dtype).scatter_(1, slots, 1.0)[:, :t]
            if self.training and self.aux_weight > 0:
                over = candidate if self.router_bce == "candidates" else real
                bce = F.binary_cross_entropy_with_logits(score, selected, weight=over.to(h.dtype), reduction="sum")
                count = max(1.0, float(over.sum()))
                aux["router_bce"] = aux.get("router_bce", 0) + bce * (self.aux_weight / count)
            index = slots.masked_fill(~valid, 0)
            gate = self.gate_scale * torch.sigmoid(score.gather(1, index)) * valid
            rows = index.unsqueeze(-1).expand(-1, -1, c)
            update = self.recurse(h.gather(1, rows), valid)
            h = h.scatter_add(1, rows, update * gate.unsqueeze(-1))
            candidate = selected > 0
        return h, aux

    def token_choice(self, h1, real):
        b, t, c = h1.shape
        p = F.softmax(self.router(h1), dim=-1)                                  # (B, T, N_r)
        choice = p.detach().argmax(dim=-1)
        gate = p.gather(-1, choice.unsqueeze(-1)).squeeze(-1)                   # p_t[i_t]
        out = h1
        state = torch.cat([h1, h1.new_zeros(b, 1, c)], dim=1)                  # row T: where padding slots go
        for r in range(self.recursions):
            active = real & (choice >= r)
            if not bool(active.any()):
                break
            slots = self.pack(active)
            valid = slots < t
            rows = slots.unsqueeze(-1).expand(-1, -1, c)
            x = self.recurse(state.gather(1, rows), valid)
            state = state.scatter(1, rows, x)
            index = slots.masked_fill(~valid, 0)
            leaving = valid & (choice.gather(1, index) == r)
            out = out.scatter_add(1, index.unsqueeze(-1).expand(-1, -1, c),
                                  x * (gate.gather(1, index) * leaving).unsqueeze(-1))
        aux = {}
        if self.training and self.balance_weight > 0:
            count = max(1, int(real.sum()))
            picked = F.one_hot(choice, self.recursions).to(p.dtype) * real.unsqueeze(-1)
            f = self.recursions * picked.sum(dim=(0, 1)) / count
            mean_p = (p * real.unsqueeze(-1)).sum(dim=(0, 1)) / count
            aux["balance"] = self.balance_weight * (f * mean_p).sum()
        return out, aux


RMS_EPS = 2.0 ** -23  # torch.nn.RMSNorm(eps=None) in float32, as the authors' blocks; Recursa's LoopformerBlock.EPS


def rms_norm(x):
    """Affine-free RMSNorm over the last dimension (torch 1.13 has no nn.RMSNorm)."""
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + RMS_EPS)


def timestep_embedding(value, dims, max_period=10000):
    """DiT's Fourier features of a scalar, (1, dims): [cos(v f_i)..., sin(v f_i)...], f_i = exp(-ln(P) i / half)."""
    half = dims // 2
    freqs = torch.exp(-math.log(max_period) * torch.arange(half, dtype=torch.get_default_dtype()) / half)
    args = value * freqs
    embedding = torch.cat([torch.cos(args), torch.sin(args)])
    if dims % 2:
        embedding = torch.cat([embedding, torch.zeros(1)])
    return embedding[None]


def steps_of(text):
    """A schedule as Recursa's settings write it ("0.5,0.25,0.25", "" for none) or as a list."""
    if isinstance(text, (list, tuple)):
        return [float(v) for v in text]
    return [float(v) for v in text.split(",")] if text.strip() else []


def sample_short(loops):
    """The authors' utils.sample_short_trajectory: S uniform in 1..L-1, steps multiples of 1/L summing to 1."""
    steps = random.randint(1, loops - 1)
    remaining, trajectory = loops, []
    for i in range(steps - 1):
        units = random.randint(1, remaining - (steps - 1 - i))
        trajectory.append(units / loops)
        remaining -= units
    return trajectory + [remaining / loops]


class TimeEmbedder(nn.Module):
    """DiT's TimestepEmbedder: Fourier features, Linear, SiLU, Linear (Recursa's `in` and `out`)."""

    def __init__(self, dims, width):
        super().__init__()
        self.dims = dims
        self.input = nn.Linear(dims, width)
        self.output = nn.Linear(width, width)

    def forward(self, value):
        return self.output(F.silu(self.input(timestep_embedding(value, self.dims))))


class LoopBlock(nn.Module):
    """The authors' LoopFormerBlock with Recursa's biases; the C -> 4C modulation as four C -> C maps."""

    ROWS = ("gate_msa", "gate_mlp", "scale_msa", "scale_mlp")

    def __init__(self, width, heads, hidden):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(width, 3 * width)
        self.proj = nn.Linear(width, width)
        self.up = nn.Linear(width, hidden)
        self.down = nn.Linear(hidden, width)
        self.modulation = nn.ModuleDict({row: nn.Linear(width, width) for row in self.ROWS})
        for row in self.ROWS:
            nn.init.zeros_(self.modulation[row].weight)
            nn.init.zeros_(self.modulation[row].bias)

    def forward(self, x, activated, keep=None):
        m = {row: linear(activated) for row, linear in self.modulation.items()}          # (1, C) each
        x = x + m["gate_msa"] * self.proj(attention(self.qkv(rms_norm(x) * (1 + m["scale_msa"])), self.heads, keep))
        return x + m["gate_mlp"] * self.down(F.gelu(self.up(rms_norm(x) * (1 + m["scale_mlp"])), approximate="tanh"))


class Loopformer(nn.Module):
    """LoopFormer (Jeddi, Ciccone, Taati, ICLR 2026) as Recursa's LoopformerModel: loop i runs the `blocks` shared
    blocks conditioned on c = MLP_t(Fourier(t_{i-1})) + MLP_dt(Fourier(dt_i)). A pass runs `schedule` (or L uniform
    steps); a training pass with the shortcut runs [1/L]xL and a short trajectory (`short_schedule`, else drawn as
    the authors do) from the same embeddings, supervises both (the short one with short_weight) and adds
    consistency_weight * MSE(stopgrad(rms(h_long)), rms(h_short)) over the real tokens' features."""

    def __init__(self, vocab, length, width, heads, hidden, blocks=2, loops=4, schedule="", shortcut=True,
                 short_weight=0.1, consistency_weight=0.1, short_schedule="", fourier_dims=256):
        super().__init__()
        self.loops = loops
        self.schedule = steps_of(schedule)
        self.shortcut = shortcut if isinstance(shortcut, bool) else str(shortcut).lower() == "true"
        self.short_weight = short_weight
        self.consistency_weight = consistency_weight
        self.short_schedule = steps_of(short_schedule)
        self.tokens = nn.Embedding(vocab, width)
        self.positions = nn.Embedding(length, width)
        self.blocks = nn.ModuleList(LoopBlock(width, heads, hidden) for _ in range(blocks))
        self.time = TimeEmbedder(fourier_dims, width)
        self.step = TimeEmbedder(fourier_dims, width)
        self.final = nn.LayerNorm(width)
        self.head = nn.Linear(width, vocab)

    def run(self, h, deltas, keep):
        t = 0.0
        for delta in deltas:
            activated = F.silu(self.time(t) + self.step(delta))
            for block in self.blocks:
                h = block(h, activated, keep)
            t += delta
        return h

    def forward(self, ids, keep=None):
        h0 = self.tokens(ids) + self.positions(torch.arange(ids.shape[1]))
        training = self.training and self.shortcut
        trajectory = [1 / self.loops] * self.loops if training or not self.schedule else self.schedule
        h = self.run(h0, trajectory, keep)
        logits = self.head(self.final(h))
        if not training or len(trajectory) < 2:
            return logits, {}
        short = self.run(h0, self.short_schedule or sample_short(len(trajectory)), keep)
        real = (keep if keep is not None else torch.ones(ids.shape, dtype=torch.bool)).to(h.dtype)
        difference = (rms_norm(short) - rms_norm(h).detach()) * real[..., None]
        mse = difference.pow(2).sum() / (real.sum().clamp(min=1) * h.shape[-1])
        return (logits, {"consistency": self.consistency_weight * mse},
                [(logits, 1.0), (self.head(self.final(short)), self.short_weight)])


def build(arch, vocab, length, width, heads, hidden, layers=4, **settings):
    """The PyTorch mirror of one of Recursa's architectures: `layers` blocks (vanilla) or steps (universal); mor
    takes its settings (recursions, base_depth, router, gate_scale, aux_weight, balance_weight, router_bce) by name,
    relaxed its own (shared_layers, loops, lora_rank, lora_qkv), recurrent-depth its own (prelude_layers,
    recurrent_layers, coda_layers, recurrence, backprop_depth), loopformer its own (blocks, loops, schedule,
    shortcut, short_weight, consistency_weight, short_schedule, fourier_dims)."""
    if arch == "loopformer":
        return Loopformer(vocab, length, width, heads, hidden, **settings)
    if arch == "mor":
        return Mor(vocab, length, width, heads, hidden, **settings)
    if arch == "relaxed":
        return Relaxed(vocab, length, width, heads, hidden, **settings)
    if arch == "recurrent-depth":
        return RecurrentDepth(vocab, length, width, heads, hidden, **settings)
    return Model(arch, vocab, length, width, heads, hidden, layers)


def add_model_arguments(parser):
    """The options that choose a mirror and its settings (as `recursa bench` passes an architecture's
    pytorchMirror); shared with torch_decode.py."""
    parser.add_argument("--arch", default="vanilla", choices=["vanilla", "universal", "mor", "relaxed",
                                                                  "recurrent-depth", "loopformer"])
    parser.add_argument("--width", type=int, default=128)
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--hidden", type=int, default=512)
    parser.add_argument("--layers", type=int, default=4)
    parser.add_argument("--recursions", type=int, default=3, help="mor: N_r")
    parser.add_argument("--base-depth", type=int, default=1, help="mor: shared blocks per recursion")
    parser.add_argument("--router", default="expert", choices=["expert", "token"], help="mor: routing")
    parser.add_argument("--gate-scale", type=float, default=0.1, help="mor: alpha of the expert-choice gate")
    parser.add_argument("--aux-weight", type=float, default=0.001, help="mor: expert-choice router BCE weight")
    parser.add_argument("--balance-weight", type=float, default=0.1, help="mor: token-choice balancing weight")
    parser.add_argument("--router-bce", default="all", choices=["all", "candidates"],
                        help="mor: expert-choice router BCE over all real tokens or the current candidates")
    parser.add_argument("--shared-layers", type=int, default=2, help="relaxed: B, the shared layers")
    parser.add_argument("--loops", type=int, default=2,
                        help="relaxed: cycles of the B layers (depth B x loops); loopformer: L")
    parser.add_argument("--lora-rank", type=int, default=8, help="relaxed: r of each depth's LoRAs")
    parser.add_argument("--lora-qkv", default="fused", choices=["fused", "separate"],
                        help="relaxed: one LoRA of the packed q/k/v matrix or one per projection")
    parser.add_argument("--prelude-layers", type=int, default=1, help="recurrent-depth: blocks before the loop")
    parser.add_argument("--recurrent-layers", type=int, default=2, help="recurrent-depth: blocks looped r times")
    parser.add_argument("--coda-layers", type=int, default=1, help="recurrent-depth: blocks after the loop")
    parser.add_argument("--recurrence", type=int, default=4, help="recurrent-depth: r")
    parser.add_argument("--backprop-depth", type=int, default=2,
                        help="recurrent-depth: the last recursions back-propagated through")
    parser.add_argument("--blocks", type=int, default=2, help="loopformer: shared blocks per loop")
    parser.add_argument("--schedule", default="", help="loopformer: step sizes of a pass, e.g. 0.5,0.25,0.25")
    parser.add_argument("--shortcut", default="true", help="loopformer: train with the short trajectory")
    parser.add_argument("--short-weight", type=float, default=0.1, help="loopformer: weight of CE(short)")
    parser.add_argument("--consistency-weight", type=float, default=0.1, help="loopformer: weight of the MSE")
    parser.add_argument("--short-schedule", default="", help="loopformer: a fixed short trajectory")
    parser.add_argument("--fourier-dims", type=int, default=256, help="loopformer: Fourier features of t and dt")


def model_settings(args):
    """The keyword settings of `build` for the parsed options' architecture."""
    settings = {"mor": {"recursions": args.recursions, "base_depth": args.base_depth, "router": args.router,
                        "gate_scale": args.gate_scale, "aux_weight": args.aux_weight,
                        "balance_weight": args.balance_weight, "router_bce": args.router_bce},
                "relaxed": {"shared_layers": args.shared_layers, "loops": args.loops, "lora_rank": args.lora_rank,
                            "lora_qkv": args.lora_qkv},
                "recurrent-depth": {"prelude_layers": args.prelude_layers, "recurrent_layers": args.recurrent_layers,
                                    "coda_layers": args.coda_layers, "recurrence": args.recurrence,
                                    "backprop_depth": args.backprop_depth},
                "loopformer": {"blocks": args.blocks, "loops": args.loops, "schedule": args.schedule,
                               "shortcut": args.shortcut, "short_weight": args.short_weight,
                               "consistency_weight": args.consistency_weight,
                               "short_schedule": args.short_schedule, "fourier_dims": args.fourier_dims}}
    return settings.get(args.arch, {})


def main():
    parser = argparse.ArgumentParser()
    add_model_arguments(parser)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--length", type=int, default=32)
    parser.add_argument("--vocab", type=int, default=16)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--precision", default="float32", choices=["float32", "bf16"],
                        help="bf16: forward and loss under torch.autocast('cpu', dtype=torch.bfloat16), PyTorch's "
                             "mixed precision (float32 weights and optimiser state, bf16 products)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    model = build(args.arch, args.vocab, args.length, args.width, args.heads, args.hidden, args.layers,
                  **model_settings(args))
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, betas=(0.9, 0.99), weight_decay=0.1)
    started = None
    for step in range(args.warmup + args.steps):
        if step == args.warmup:
            started = time.perf_counter()
        rows = torch.randint(3, args.vocab, (args.batch, args.length + 1))
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.precision == "bf16"):
            logits, aux, *supervised = model(rows[:, :-1])
            targets = rows[:, 1:].reshape(-1)
            outputs = supervised[0] if supervised else [(logits, 1.0)]
            loss = sum(weight * F.cross_entropy(out.reshape(-1, args.vocab), targets) for out, weight in outputs)
            for value in aux.values():
                loss = loss + value
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
    seconds = time.perf_counter() - started
    print(json.dumps({"arch": args.arch, "width": args.width, "threads": args.threads, "torch": torch.__version__,
                      "precision": args.precision,
                      "tokens_per_s": args.batch * args.length * args.steps / seconds,
                      "seconds_per_step": seconds / args.steps}))


if __name__ == "__main__":
    main()
