#!/usr/bin/env python3
"""The PyTorch side of `recursa bench train`: the same model, data shape and optimiser as Recursa's
TrainBenchmark, timed the same way (steps after a warm-up, B x T tokens per second). Prints one JSON line.

Models follow Recursa's: pre-norm GPT blocks (LayerNorm, causal multi-head attention with a packed qkv
projection, tanh-GELU MLP), learned token and position embeddings, final LayerNorm, untied head.
`universal` loops one block `layers` times, adding position and a learned step embedding before each step.
"""
import argparse
import json
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


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
        b, t, c = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)
        scores = (q @ k.transpose(-2, -1)) / math.sqrt(c // self.heads)
        mask = torch.triu(torch.ones(t, t, dtype=torch.bool), diagonal=1)
        scores = scores.masked_fill(mask, -1e9)
        if keep is not None:  # (B, T) bool: padding keys are masked for every query, as in Recursa
            scores = scores.masked_fill(~keep[:, None, None, :], -1e9)
        y = F.softmax(scores, dim=-1) @ v
        return self.proj(y.transpose(1, 2).reshape(b, t, c))

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
        return self.head(self.final(h))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--arch", default="vanilla", choices=["vanilla", "universal"])
    parser.add_argument("--width", type=int, default=128)
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--hidden", type=int, default=512)
    parser.add_argument("--layers", type=int, default=4)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--length", type=int, default=32)
    parser.add_argument("--vocab", type=int, default=16)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    model = Model(args.arch, args.vocab, args.length, args.width, args.heads, args.hidden, args.layers)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, betas=(0.9, 0.99), weight_decay=0.1)
    started = None
    for step in range(args.warmup + args.steps):
        if step == args.warmup:
            started = time.perf_counter()
        rows = torch.randint(3, args.vocab, (args.batch, args.length + 1))
        logits = model(rows[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, args.vocab), rows[:, 1:].reshape(-1))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
    seconds = time.perf_counter() - started
    print(json.dumps({"arch": args.arch, "width": args.width, "threads": args.threads, "torch": torch.__version__,
                      "tokens_per_s": args.batch * args.length * args.steps / seconds,
                      "seconds_per_step": seconds / args.steps}))


if __name__ == "__main__":
    main()
