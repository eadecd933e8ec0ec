#!/usr/bin/env python3
"""PyTorch's side of the service's interop tests (run by the Java tests with Debian's python3-torch).

    torch_reference.py torchvision ARCH SIZE CLASSES SEED OUTDIR
        a seeded torchvision ARCH with random BatchNorm statistics: OUTDIR/model.pth (its state_dict),
        OUTDIR/inputs.bin (8 x 3 x SIZE x SIZE float32) and OUTDIR/logits.bin (eval-mode logits, float32)
    torch_reference.py logits MODEL.safetensors INPUTS N OUT [--uint8]
        loads MODEL with interop/pytorch/masktune_models.py (strict) and writes its eval-mode logits on the
        N inputs (float32 NCHW, or uint8 pixels normalised with the file's metadata when --uint8), and
        OUT.json with the metadata and the state_dict's names
All binary files are little-endian.
"""

import json
import os
import sys

import numpy as np
import torch
import torchvision

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import masktune_models  # noqa: E402


def torchvision_model(arch, size, classes, seed, out):
    torch.manual_seed(seed)
    model = getattr(torchvision.models, arch)(num_classes=classes)
    generator = torch.Generator().manual_seed(seed + 1)
    last = "bn3" if arch == "resnet50" else "bn2"
    with torch.no_grad():
        for name, module in model.named_modules():
            if isinstance(module, torch.nn.BatchNorm2d):
                c = module.num_features
                module.running_mean.copy_(torch.rand(c, generator=generator) - 0.5)
                module.running_var.copy_(torch.rand(c, generator=generator) + 0.5)
                # the last BN of each residual branch scaled to [0.3, 0.7), so 16 blocks keep the logits O(1-10)
                low, high = (0.3, 0.7) if name.endswith(last) or name.endswith("downsample.1") else (0.5, 1.5)
                module.weight.copy_(low + (high - low) * torch.rand(c, generator=generator))
                module.bias.copy_(0.2 * torch.rand(c, generator=generator) - 0.1)
                module.num_batches_tracked.fill_(int(torch.randint(1, 1000, (1,), generator=generator)))
    model.eval()
    inputs = torch.randn(8, 3, size, size, generator=generator)
    with torch.no_grad():
        logits = model(inputs)
    torch.save(model.state_dict(), os.path.join(out, "model.pth"))
    inputs.numpy().astype("<f4").tofile(os.path.join(out, "inputs.bin"))
    logits.numpy().astype("<f4").tofile(os.path.join(out, "logits.bin"))


def logits_of(model_path, inputs_path, n, out, uint8):
    model, metadata = masktune_models.load(model_path)
    c, s = int(metadata["input_channels"]), int(metadata["input_size"])
    if uint8:
        pixels = np.fromfile(inputs_path, dtype=np.uint8).reshape(n, c, s, s)
        x = masktune_models.preprocess(pixels, metadata)
    else:
        x = torch.from_numpy(np.fromfile(inputs_path, dtype="<f4").astype(np.float32).reshape(n, c, s, s))
    with torch.no_grad():
        logits = torch.cat([model(x[i:i + 256]) for i in range(0, n, 256)])
    logits.numpy().astype("<f4").tofile(out)
    with open(out + ".json", "w") as f:
        json.dump({"metadata": metadata, "names": list(model.state_dict().keys())}, f)


if __name__ == "__main__":
    if sys.argv[1] == "torchvision":
        torchvision_model(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6])
    elif sys.argv[1] == "logits":
        logits_of(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5], "--uint8" in sys.argv)
    else:
        raise SystemExit(__doc__)
