#!/usr/bin/python3
"""PyTorch-eager twin of org.masktune.ml.bench.TrainBenchMain: same models, same data shapes, same
optimizer and the same masking computation, timed the same way. Prints one JSON line on stdout.

    torch_bench.py --model small-cnn|resnet32 --what train|mask [--batch 128] [--warmup-steps 30]
                   [--steps 100] [--threads N] [--images N] [--rss-trace K] [--seed 42] [--repeat 3]

train: the data set is held as uint8 NCHW (like the service's ImageSet), each batch is gathered from a
per-epoch permutation and normalised (x/255 - mean)/std, then the textbook step: zero_grad, forward,
cross_entropy, loss.item(), backward, SGD(lr 0.01, momentum 0.9, weight_decay 1e-4).step(), and the
batch accuracy read back (the service reads the logits back for its metrics). Epochs of at most 250
steps, as the JVM side. Timing starts after the last warm-up step, ends after the last timed step.

mask: eval mode; A = features(x) without grad; a detached A that requires grad goes through the head;
grad of sum of the predicted logits w.r.t. A; w = sum(grad*A)/(sum(A)+1e-7); cam = relu(sum_k w_k A_k);
per-image min-max, bilinear resize (align_corners=False) to the input size, min-max again;
tau = mean + 2*std (population) over the positive values; every channel of pixels with cam > tau set to 0
in a uint8 copy of the set. The set is masked --repeat times (default 3); the median time is reported.
"""
import argparse
import json
import math
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

MAX_STEPS_PER_EPOCH = 250


# ----------------------------------------------------------------------------- models

class SmallCnn(nn.Module):
    """MaskTune's MNIST CNN: 4 unpadded 3x3 convs (16,16,32,32) + BN + ReLU, max-pools after conv2 and conv4,
    head FC 256 + BatchNorm1d + ReLU + FC (the authors' SmallCNN; the service's small-cnn revision 2)."""

    def __init__(self, channels, classes, side):
        super().__init__()
        def cbr(i, o):
            return [nn.Conv2d(i, o, 3), nn.BatchNorm2d(o), nn.ReLU()]
        self.features = nn.Sequential(*cbr(channels, 16), *cbr(16, 16), nn.MaxPool2d(2), *cbr(16, 32), *cbr(32, 32))
        flat = 32 * (((side - 4) // 2 - 4) // 2) ** 2
        self.head = nn.Sequential(nn.MaxPool2d(2), nn.Flatten(), nn.Linear(flat, 256), nn.BatchNorm1d(256), nn.ReLU(),
                                  nn.Linear(256, classes))

    def forward(self, x):
        return self.head(self.features(x))


class BasicBlock(nn.Module):
    """akamaster's CIFAR basic block with the option-A (subsample + zero-pad) shortcut."""

    def __init__(self, inp, planes, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(inp, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.pad = planes - inp if (stride != 1 or inp != planes) else 0

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        if self.pad:
            short = F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, self.pad // 2, self.pad // 2))
        else:
            short = x
        return F.relu(out + short)


class CifarResNet32(nn.Module):
    def __init__(self, channels, classes, n=5):
        super().__init__()
        layers = [nn.Conv2d(channels, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU()]
        inp = 16
        for width in (16, 32, 64):
            for b in range(n):
                stride = 2 if (b == 0 and width != inp) else 1
                layers.append(BasicBlock(inp, width, stride))
                inp = width
        self.features = nn.Sequential(*layers)
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, classes))

    def forward(self, x):
        return self.head(self.features(x))


def build(model, side, classes):
    return SmallCnn(3, classes, side) if model == "small-cnn" else CifarResNet32(3, classes)


# ----------------------------------------------------------------------------- helpers

def rss_kb():
    rss = hwm = -1
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
            elif line.startswith("VmHWM:"):
                hwm = int(line.split()[1])
    return rss, hwm


def dataset(model, count, seed):
    side = 28 if model == "small-cnn" else 32
    classes = 2 if model == "small-cnn" else 10
    g = torch.Generator().manual_seed(seed)
    pixels = torch.randint(0, 256, (count, 3, side, side), dtype=torch.uint8, generator=g)
    labels = torch.randint(0, classes, (count,), generator=g)
    flt = pixels.float().div_(255)
    mean = flt.mean(dim=(0, 2, 3)).view(1, 3, 1, 1)
    std = flt.std(dim=(0, 2, 3), unbiased=False).view(1, 3, 1, 1)
    del flt
    return pixels, labels, mean, std, side, classes


def normalise(pixels, mean, std):
    return (pixels.float().div_(255) - mean) / std


def minmax(cam):
    lo = cam.min(dim=1, keepdim=True).values
    hi = cam.max(dim=1, keepdim=True).values
    rng = hi - lo
    return torch.where(rng > 0, (cam - lo) / torch.where(rng > 0, rng, torch.ones_like(rng)), torch.zeros_like(cam))


# ----------------------------------------------------------------------------- train / mask

def train(a, out):
    total = a.warmup_steps + a.steps
    per_epoch = min(total, MAX_STEPS_PER_EPOCH)
    pixels, labels, mean, std, side, classes = dataset(a.model, per_epoch * a.batch, a.seed)
    torch.manual_seed(a.seed)
    model = build(a.model, side, classes)
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
    ends = [time.perf_counter()]
    step = 0
    loss_value = float("nan")
    correct = 0
    while step < total:
        order = torch.randperm(pixels.shape[0])
        for b in range(per_epoch):
            if step >= total:
                break
            idx = order[b * a.batch:(b + 1) * a.batch]
            x = normalise(pixels[idx], mean, std)
            y = labels[idx]
            opt.zero_grad()
            logits = model(x)
            loss = F.cross_entropy(logits, y)
            loss_value = loss.item()
            loss.backward()
            opt.step()
            correct += int((logits.detach().argmax(1) == y).sum())
            step += 1
            ends.append(time.perf_counter())
            if a.rss_trace and step % a.rss_trace == 0:
                rss, hwm = rss_kb()
                print(json.dumps({"trace": "rss", "step": step, "rss_mb": round(rss / 1024, 1),
                                  "peak_rss_mb": round(hwm / 1024, 1), "loss": round(loss_value, 4)}), file=out, flush=True)
    seconds = ends[total] - ends[a.warmup_steps]
    steps_ms = sorted((ends[a.warmup_steps + s + 1] - ends[a.warmup_steps + s]) * 1000 for s in range(a.steps))
    rss, hwm = rss_kb()
    return {"side": "pytorch", "what": "train", "model": a.model, "data": "random", "batch": a.batch,
            "threads": torch.get_num_threads(), "warmup_steps": a.warmup_steps, "steps": a.steps,
            "seconds": round(seconds, 3), "images_per_s": round(a.steps * a.batch / seconds, 2),
            "step_ms_median": round(steps_ms[len(steps_ms) // 2], 2), "step_ms_mean": round(seconds * 1000 / a.steps, 2),
            "final_loss": round(loss_value, 4), "peak_rss_mb": round(hwm / 1024, 1), "rss_mb": round(rss / 1024, 1),
            "torch": torch.__version__}


def mask_all(model, pixels, mean, std, batch, k=2.0):
    masked = pixels.clone()
    n, _, h, w = pixels.shape
    fractions = torch.empty(n)
    for start in range(0, n, batch):
        raw = pixels[start:start + batch]
        x = normalise(raw, mean, std)
        with torch.no_grad():
            act = model.features(x)
        act = act.detach().requires_grad_(True)
        logits = model.head(act)
        predicted = logits.argmax(1)
        target = logits.gather(1, predicted[:, None]).sum()
        grad, = torch.autograd.grad(target, act)
        with torch.no_grad():
            weights = (grad * act).sum(dim=(2, 3)) / (act.sum(dim=(2, 3)) + 1e-7)
            cam = F.relu((weights[:, :, None, None] * act).sum(dim=1))
            b, ch, cw = cam.shape
            cam = minmax(cam.reshape(b, ch * cw)).reshape(b, 1, ch, cw)
            if (ch, cw) != (h, w):
                cam = F.interpolate(cam, size=(h, w), mode="bilinear", align_corners=False)
            cam = minmax(cam.reshape(b, h * w))
            positive = cam > 0
            count = positive.sum(dim=1)
            safe = count.clamp(min=1).to(cam.dtype)
            mu = (cam * positive).sum(dim=1) / safe
            var = (((cam - mu[:, None]) ** 2) * positive).sum(dim=1) / safe
            tau = torch.where(count > 0, mu + k * var.sqrt(), torch.full_like(mu, math.inf))
            hot = (cam > tau[:, None]).reshape(b, 1, h, w)
            masked[start:start + b].masked_fill_(hot, 0)
            fractions[start:start + b] = hot.reshape(b, -1).float().mean(dim=1)
    return masked, fractions


def mask(a):
    pixels, _, mean, std, side, classes = dataset(a.model, a.images, a.seed)
    torch.manual_seed(a.seed)
    model = build(a.model, side, classes)
    model.eval()
    if a.warmup_steps:
        mask_all(model, pixels[:a.warmup_steps * a.batch], mean, std, a.batch)
    runs = []
    for _ in range(a.repeat):
        start = time.perf_counter()
        _, fractions = mask_all(model, pixels, mean, std, a.batch)
        runs.append(time.perf_counter() - start)
    seconds = statistics.median(runs)
    rss, hwm = rss_kb()
    return {"side": "pytorch", "what": "mask", "model": a.model, "data": "random", "batch": a.batch,
            "threads": torch.get_num_threads(), "images": a.images, "repeat": a.repeat, "seconds": round(seconds, 3),
            "images_per_s": round(a.images / seconds, 2), "images_per_s_runs": [round(a.images / s, 2) for s in runs],
            "masked_fraction_mean": round(float(fractions.mean()), 4),
            "peak_rss_mb": round(hwm / 1024, 1), "rss_mb": round(rss / 1024, 1), "torch": torch.__version__}


def main():
    import sys
    p = argparse.ArgumentParser()
    p.add_argument("--model", required=True, choices=["small-cnn", "resnet32"])
    p.add_argument("--what", default="train", choices=["train", "mask"])
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--warmup-steps", type=int, default=30)
    p.add_argument("--steps", type=int, default=100)
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--images", type=int, default=0)
    p.add_argument("--rss-trace", type=int, default=0)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--repeat", type=int, default=3)
    a = p.parse_args()
    if a.images == 0:
        a.images = 8 * a.batch
    if a.threads > 0:
        torch.set_num_threads(a.threads)
        torch.set_num_interop_threads(a.threads)
    result = train(a, sys.stdout) if a.what == "train" else mask(a)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
