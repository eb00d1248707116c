#!/usr/bin/env python3
"""PyTorch side of Recursa's parity tests (TorchReference in the TCK).

Reads a JSON file written by the Java test: the architecture and its shape, a padded token batch, targets
(-100 = ignored) and every weight under Recursa's parameter names. Loads the weights into the PyTorch mirror
of the model in torch_train.py, runs forward and backward in float64, and writes logits, loss and the
gradient of every parameter, again under Recursa's names and in Recursa's layouts.

Usage: torch_reference.py INPUT.json OUTPUT.json
"""
import json
import sys

import torch
import torch.nn.functional as F

from torch_train import Model


def torch_name(name):
    """Recursa's parameter name -> (PyTorch parameter name, whether the matrix is stored transposed)."""
    fixed = {"embed.tokens": ("tokens.weight", False), "embed.positions": ("positions.weight", False),
             "embed.steps": ("steps.weight", False), "final_norm.weight": ("final.weight", False),
             "final_norm.bias": ("final.bias", False), "head.weight": ("head.weight", True),
             "head.bias": ("head.bias", False)}
    if name in fixed:
        return fixed[name]
    parts = name.split(".")            # block[.l].(ln1|ln2|attn.qkv|attn.proj|mlp.up|mlp.down).(weight|bias)
    layer = parts[1] if parts[1].isdigit() else "0"
    rest = [p for p in parts[1:] if not p.isdigit() and p not in ("attn", "mlp")]
    module, kind = rest[0], rest[1]
    transposed = kind == "weight" and module not in ("ln1", "ln2")
    return "blocks.%s.%s.%s" % (layer, module, kind), transposed


def main(source, target):
    with open(source) as f:
        spec = json.load(f)
    torch.set_num_threads(1)
    torch.set_default_dtype(torch.float64)
    model = Model(spec["arch"], spec["vocab"], spec["max_length"], spec["width"], spec["heads"], spec["hidden"],
                  spec["layers"])
    params = dict(model.named_parameters())
    assert len(params) == len(spec["weights"]), "parameter sets differ: %s vs %s" % (
        sorted(params), sorted(torch_name(n)[0] for n in spec["weights"]))
    with torch.no_grad():
        for name, weight in spec["weights"].items():
            torch_key, transposed = torch_name(name)
            value = torch.tensor(weight["data"]).reshape(weight["shape"])
            params[torch_key].copy_(value.t() if transposed else value)
    ids = torch.tensor(spec["ids"])
    keep = torch.tensor(spec["keep"], dtype=torch.bool)
    logits = model(ids, keep)
    vocab = spec["vocab"]
    loss = F.cross_entropy(logits.reshape(-1, vocab), torch.tensor(spec["targets"]), ignore_index=-100)
    loss.backward()
    grads = {}
    for name in spec["weights"]:
        torch_key, transposed = torch_name(name)
        grad = params[torch_key].grad
        grads[name] = (grad.t() if transposed else grad).contiguous().reshape(-1).tolist()
    with open(target, "w") as f:
        json.dump({"torch": torch.__version__, "logits": logits.detach().reshape(-1).tolist(),
                   "loss": loss.item(), "grads": grads}, f)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
