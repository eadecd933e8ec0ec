#!/usr/bin/env python3
"""Converts a PyTorch .pth state_dict into a safetensors file the MaskTune service can start from.

    python3 pth_to_safetensors.py resnet50-0676ba61.pth resnet50-imagenet.safetensors

Needs only torch and numpy. Accepts a state_dict, a dict holding one under "state_dict" or "model",
or a whole nn.Module. Tensors keep their names and order; bfloat16 becomes float32 (numpy has no
bfloat16). The output is deterministic: the same input gives the same bytes.
"""

import argparse
import json
import os
import struct
import sys

import numpy as np
import torch

_DTYPES = {torch.float64: "F64", torch.float32: "F32", torch.float16: "F16", torch.int64: "I64",
           torch.int32: "I32", torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8", torch.bool: "BOOL"}


def state_dict_of(obj, key=None):
    if isinstance(obj, torch.nn.Module):
        return obj.state_dict()
    if key is not None:
        return obj[key]
    if isinstance(obj, dict):
        for candidate in ("state_dict", "model"):
            if candidate in obj and isinstance(obj[candidate], dict):
                return obj[candidate]
        return obj
    raise SystemExit(f"not a state_dict: {type(obj).__name__}")


def write_safetensors(state, path, metadata=None):
    header, chunks, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    for name, tensor in state.items():
        if not isinstance(tensor, torch.Tensor):
            raise SystemExit(f"{name} is a {type(tensor).__name__}, not a tensor")
        tensor = tensor.detach().cpu().contiguous()
        if tensor.dtype == torch.bfloat16:
            tensor = tensor.float()
        if tensor.dtype not in _DTYPES:
            raise SystemExit(f"{name}: dtype {tensor.dtype} is not supported")
        raw = tensor.numpy().astype(tensor.numpy().dtype.newbyteorder("<"), copy=False).tobytes()
        header[name] = {"dtype": _DTYPES[tensor.dtype], "shape": list(tensor.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path + ".part", "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in chunks:
            f.write(raw)
    os.replace(path + ".part", path)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input", help=".pth / .pt file")
    parser.add_argument("output", help="safetensors file to write")
    parser.add_argument("--key", help="take the state_dict from this key of the loaded dict")
    parser.add_argument("--strip-prefix", default="", help="remove this prefix from every name, e.g. 'module.'")
    args = parser.parse_args(argv)
    try:
        loaded = torch.load(args.input, map_location="cpu", weights_only=True)
    except (TypeError, RuntimeError, AttributeError):  # a whole pickled module, or a torch without weights_only
        loaded = torch.load(args.input, map_location="cpu")
    state = state_dict_of(loaded, args.key)
    if args.strip_prefix:
        state = {(k[len(args.strip_prefix):] if k.startswith(args.strip_prefix) else k): v for k, v in state.items()}
    write_safetensors(state, args.output, {"format": "pytorch-state-dict", "source": os.path.basename(args.input)})
    print(f"{args.output}: {len(state)} tensors", file=sys.stderr)


if __name__ == "__main__":
    main()
