#!/usr/bin/env python3
"""The PyTorch side of `recursa bench decode`: greedy decoding of an architecture's mirror (torch_train.py) over
a key/value cache, timed as Recursa's DecodeBenchmark times its cached path: random prompts of one length, a fixed
number of new tokens per row (no stop token), generated tokens per second over the whole decode, the prompts' pass
included. Prints one JSON line.

The weights are the mirror's own initialisation (torch.manual_seed(1)), as in torch_train.py, not Recursa's: the
speed does not depend on their values, and the tokens are not compared with Recursa's.

The cache is preallocated, as Recursa's KvCache: for each attention application (each layer of `vanilla`, each
recursion of `universal`, each depth of `relaxed`) keys and values (B, H, max_length, D), written at the new
tokens' positions; a step attends over the filled part. Other mirrors have no incremental forward here.

With --check nothing is timed: the decode runs in float64 on weights drawn from N(0, 0.3^2), and at every step its
logits must equal the mirror's full forward pass over the whole prefixes (what Recursa's uncached path computes) to
CHECK_TOLERANCE.
"""
import argparse
import json
import math
import sys
import time

import torch
import torch.nn.functional as F

from torch_train import Model, Relaxed, add_model_arguments, build, model_settings

CHECK_TOLERANCE = 1e-9


class KvCache:
    """The keys and values of one attention application, (B, H, max_length, D) each, filled up to `size`."""

    def __init__(self, batch, heads, length, dims):
        self.keys = torch.zeros(batch, heads, length, dims)
        self.values = torch.zeros(batch, heads, length, dims)
        self.size = 0

    def attend(self, qkv, heads):
        """Causal attention of new tokens' packed q/k/v (B, t, 3C), at positions size..size+t-1, over the cached
        tokens and themselves; stores their keys and values. (B, t, C) before the output projection."""
        b, t, c = qkv.shape[0], qkv.shape[1], qkv.shape[2] // 3
        q, k, v = qkv.view(b, t, 3, heads, c // heads).permute(2, 0, 3, 1, 4)
        end = self.size + t
        self.keys[:, :, self.size:end] = k
        self.values[:, :, self.size:end] = v
        keys, values = self.keys[:, :, :end], self.values[:, :, :end]
        scores = (q @ keys.transpose(-2, -1)) / math.sqrt(c // heads)                # (B, H, t, end)
        if t > 1:  # new token i sees keys 0..size+i
            mask = torch.triu(torch.ones(t, end, dtype=torch.bool), diagonal=self.size + 1)
            scores = scores.masked_fill(mask, -1e9)
        self.size = end
        y = F.softmax(scores, dim=-1) @ values
        return y.transpose(1, 2).reshape(b, t, c)


def block_step(block, x, cache):
    """torch_train.Block.forward for new tokens x (B, t, C) attending over `cache`."""
    x = x + block.proj(cache.attend(block.qkv(block.ln1(x)), block.heads))
    return x + block.down(F.gelu(block.up(block.ln2(x)), approximate="tanh"))


def relaxed_step(depth, x, shared, cache):
    """torch_train.RelaxedBlock.forward for new tokens x (B, t, C) attending over `cache`."""
    x = x + depth.proj(cache.attend(depth.qkv(depth.ln1(x), shared.qkv), depth.heads), shared.proj)
    return x + depth.down(F.gelu(depth.up(depth.ln2(x), shared.up), approximate="tanh"), shared.down)


def applications(model):
    """Attention applications per pass, one cache each; None for a mirror without an incremental forward."""
    if isinstance(model, Relaxed):
        return len(model.depths)
    if isinstance(model, Model):
        return len(model.blocks) if model.arch == "vanilla" else model.layers
    return None


def forward_step(model, ids, start, caches):
    """The logits (B, V) of the token after new tokens ids (B, t) at positions start..start+t-1, as the mirror's
    forward computes them at the last position."""
    pos = model.positions(torch.arange(start, start + ids.shape[1]))
    h = model.tokens(ids) + pos
    if isinstance(model, Relaxed):
        for l, (depth, cache) in enumerate(zip(model.depths, caches)):
            h = relaxed_step(depth, h, model.shared[l % len(model.shared)], cache)
    elif model.arch == "vanilla":
        for block, cache in zip(model.blocks, caches):
            h = block_step(block, h, cache)
    else:
        for step, cache in enumerate(caches):
            h = block_step(model.blocks[0], h + pos + model.steps.weight[step], cache)
    return model.head(model.final(h[:, -1]))


def decode(model, prompts, new, heads, width, observe=None):
    """Greedy decoding of `new` tokens after each prompt (B, P) over fresh caches; (B, new) tokens. `observe`, if
    given, sees every step's input ids (B, P + i) and logits."""
    b, p = prompts.shape
    caches = [KvCache(b, heads, p + new, width // heads) for _ in range(applications(model))]
    logits = forward_step(model, prompts, 0, caches)
    ids = prompts
    outputs = []
    for t in range(new):
        if observe:
            observe(ids, logits)
        token = logits.argmax(dim=-1)
        outputs.append(token)
        if t + 1 < new:
            ids = torch.cat([ids, token[:, None]], dim=1)
            logits = forward_step(model, token[:, None], p + t, caches)
    return torch.stack(outputs, dim=1)


def check(model, prompts, new, heads, width):
    """The largest difference between the cached logits and the full forward's, over every step."""
    largest = [0.0]

    def compare(ids, logits):
        full = model(ids)[0][:, -1]
        largest[0] = max(largest[0], float((full - logits).abs().max()))

    decode(model, prompts, new, heads, width, compare)
    return largest[0]


def main():
    parser = argparse.ArgumentParser()
    add_model_arguments(parser)
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--prompt", type=int, default=16, help="tokens per prompt")
    parser.add_argument("--new", type=int, default=16, help="tokens generated per prompt")
    parser.add_argument("--vocab", type=int, default=16)
    parser.add_argument("--warmup", type=int, default=1, help="untimed decodes before the timed one")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--check", action="store_true", help="compare with the full forward in float64, untimed")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    if args.check:
        torch.set_default_dtype(torch.float64)
    model = build(args.arch, args.vocab, args.prompt + args.new, args.width, args.heads, args.hidden, args.layers,
                  **model_settings(args))
    if applications(model) is None:
        sys.exit("torch_decode.py: the %s mirror has no incremental forward (vanilla, universal and relaxed do)"
                 % args.arch)
    model.eval()
    if args.check:  # fresh mirrors (zero LoRA B matrices, near-uniform outputs) would let differences hide
        with torch.no_grad():
            for parameter in model.parameters():
                parameter.normal_(0, 0.3)
    prompts = torch.randint(3, args.vocab, (args.batch, args.prompt))
    with torch.inference_mode():
        if args.check:
            largest = check(model, prompts, args.new, args.heads, args.width)
            print(json.dumps({"arch": args.arch, "largest_difference": largest}))
            if not largest <= CHECK_TOLERANCE:
                sys.exit("torch_decode.py: cached logits differ from the full forward by %g" % largest)
            return
        for _ in range(args.warmup):
            decode(model, prompts, args.new, args.heads, args.width)
        started = time.perf_counter()
        decode(model, prompts, args.new, args.heads, args.width)
        seconds = time.perf_counter() - started
    print(json.dumps({"arch": args.arch, "width": args.width, "threads": args.threads, "torch": torch.__version__,
                      "tokens_per_s": args.batch * args.new / seconds, "seconds": seconds}))


if __name__ == "__main__":
    main()
