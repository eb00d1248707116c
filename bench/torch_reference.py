#!/usr/bin/env python3
"""PyTorch side of Recursa's parity tests (TorchReference in the TCK).

Reads a JSON file written by the Java test: the architecture and its shape, whether the pass is a training pass,
a padded token batch, targets (-100 = ignored) and every weight under Recursa's parameter names. Loads the
weights into the PyTorch mirror of the model in torch_train.py, runs forward and backward (of the task loss plus
the model's auxiliary losses, as Recursa's trainer does) in float64, and writes logits, task loss, each
auxiliary loss and the gradient of every parameter, again under Recursa's names and in Recursa's layouts.

Usage: torch_reference.py INPUT.json OUTPUT.json
"""
import json
import sys

import torch
import torch.nn.functional as F

from torch_train import build


def torch_name(name, spec):
    """Recursa's parameter name -> PyTorch parameter name. Layouts agree (linear weights are (out, in) on both
    sides), so values are copied as they are."""
    fixed = {"embed.tokens": "tokens.weight", "embed.positions": "positions.weight", "embed.steps": "steps.weight",
             "final_norm.weight": "final.weight", "final_norm.bias": "final.bias", "head.weight": "head.weight",
             "head.bias": "head.bias"}
    if name in fixed:
        return fixed[name]
    parts = name.split(".")
    if spec["arch"] == "loopformer":
        return loopformer_name(parts)
    if spec["arch"] == "relaxed":
        return relaxed_name(parts)
    if spec["arch"] == "recurrent-depth":
        return recurrent_depth_name(parts)
    if parts[0] == "router":           # mor: router.R.weight per recursion (no bias, as in MoR), or router.(weight|bias)
        if spec.get("router", "expert") == "expert":
            return "routers.%s.weight" % parts[1]
        return "router.%s" % parts[-1]
    # block[.l | .first | .last | .shared.b].(ln1|ln2|attn.qkv|attn.proj|mlp.up|mlp.down).(weight|bias)
    rest = parts[1:]
    if rest[0] in ("first", "last"):
        prefix, rest = rest[0], rest[1:]
    elif rest[0] == "shared":
        prefix, rest = "shared." + rest[1], rest[2:]
    elif rest[0].isdigit():
        prefix, rest = "blocks." + rest[0], rest[1:]
    else:
        prefix = "blocks.0"
    rest = [p for p in rest if p not in ("attn", "mlp")]
    return "%s.%s.%s" % (prefix, rest[0], rest[1])


def loopformer_name(parts):
    """loopformer: block.J.(attn|mlp).M.P -> blocks.J.M.P; block.J.modulation.R.P as it is, under blocks.J;
    (time|step).(in|out).P -> (time|step).(input|output).P."""
    if parts[0] in ("time", "step"):
        return "%s.%s.%s" % (parts[0], {"in": "input", "out": "output"}[parts[1]], parts[2])
    rest = [p for p in parts[2:] if p not in ("attn", "mlp")]
    return "blocks.%s.%s" % (parts[1], ".".join(rest))


def relaxed_name(parts):
    """relaxed: block.B.(attn|mlp).M.weight -> shared.B.M; depth.L.lnN.P -> depths.L.lnN.P;
    depth.L.(attn|mlp).M.bias -> depths.L.M.bias; depth.L.(attn|mlp).M[.S].lora_(a|b) -> depths.L.M.lora[.S].(a|b)
    with S the q, k or v projection of a separate q/k/v LoRA."""
    rest = [p for p in parts[2:] if p not in ("attn", "mlp")]
    if parts[0] == "block":
        return "shared.%s.%s" % (parts[1], rest[0])
    if rest[-1].startswith("lora_"):
        rest = [rest[0], "lora"] + rest[1:-1] + [rest[-1][len("lora_"):]]
    return "depths.%s.%s" % (parts[1], ".".join(rest))


def recurrent_depth_name(parts):
    """recurrent-depth: adapter.P -> adapter.P; (prelude|recurrent|coda).L.(ln1|ln2|attn.qkv|attn.proj|mlp.up|
    mlp.down).P -> (prelude|recurrent|coda).L.(ln1|ln2|qkv|proj|up|down).P."""
    return ".".join(p for p in parts if p not in ("attn", "mlp"))


def main(source, target):
    with open(source) as f:
        spec = json.load(f)
    torch.set_num_threads(1)
    torch.set_default_dtype(torch.float64)
    settings = ("recursions", "base_depth", "router", "gate_scale", "aux_weight", "balance_weight", "router_bce",
                "shared_layers", "loops", "lora_rank", "lora_qkv", "prelude_layers", "recurrent_layers", "coda_layers",
                "recurrence", "backprop_depth", "blocks", "schedule", "shortcut", "short_weight",
                "consistency_weight", "short_schedule", "fourier_dims")
    model = build(spec["arch"], spec["vocab"], spec["max_length"], spec["width"], spec["heads"], spec["hidden"],
                  spec.get("layers", 4), **{key: spec[key] for key in settings if key in spec})
    model.train(bool(spec.get("training", True)))
    params = dict(model.named_parameters())
    names = {name: torch_name(name, spec) for name in spec["weights"]}
    mapped = sorted(names.values())
    assert mapped == sorted(params), "parameter sets differ: %s vs %s" % (sorted(params), mapped)
    with torch.no_grad():
        for name, weight in spec["weights"].items():
            params[names[name]].copy_(torch.tensor(weight["data"]).reshape(weight["shape"]))
    ids = torch.tensor(spec["ids"])
    keep = torch.tensor(spec["keep"], dtype=torch.bool)
    logits, aux, *supervised = model(ids, keep)
    vocab = spec["vocab"]
    targets = torch.tensor(spec["targets"])
    # The task loss: the logits' cross-entropy, or the weighted sum over what the model supervises (Forward.supervised)
    outputs = supervised[0] if supervised else [(logits, 1.0)]
    loss = sum(weight * F.cross_entropy(out.reshape(-1, vocab), targets, ignore_index=-100) for out, weight in outputs)
    total = loss
    for value in aux.values():
        total = total + value
    total.backward()
    grads = {}
    for name in spec["weights"]:
        grad = params[names[name]].grad
        if grad is None:               # a parameter this forward pass did not reach
            grad = torch.zeros_like(params[names[name]])
        grads[name] = grad.contiguous().reshape(-1).tolist()
    with open(target, "w") as f:
        json.dump({"torch": torch.__version__, "logits": logits.detach().reshape(-1).tolist(),
                   "loss": loss.item(), "aux": {k: v.item() for k, v in aux.items()}, "grads": grads}, f)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
