#!/usr/bin/python3
"""torchvision's side of the loader benchmark: the CelebA train split's JPEGs decoded by PIL,
RandomResizedCrop(SIZE) + RandomHorizontalFlip + ToTensor + Normalize (ImageNet statistics), a
torch DataLoader with WORKERS workers, shuffled; prints one JSON line with images/s.

usage: torch_loader.py ROOT [--size 224] [--workers 1] [--batch 64] [--batches 200]
"""
import argparse
import csv
import json
import os
import time

import torch
from PIL import Image
from torchvision import transforms


class CelebATrain(torch.utils.data.Dataset):
    def __init__(self, root, transform):
        self.root = root
        self.transform = transform
        with open(os.path.join(root, "list_eval_partition.csv")) as f:
            rows = list(csv.reader(f))[1:]
        self.files = [r[0] for r in rows if r[1] == "0"]

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        with Image.open(os.path.join(self.root, "img_align_celeba", self.files[i])) as img:
            return self.transform(img.convert("RGB")), 0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("root")
    p.add_argument("--size", type=int, default=224)
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--batches", type=int, default=200)
    a = p.parse_args()
    torch.set_num_threads(1)
    t = transforms.Compose([transforms.RandomResizedCrop(a.size, scale=(0.08, 1.0)), transforms.RandomHorizontalFlip(),
                            transforms.ToTensor(), transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
    loader = torch.utils.data.DataLoader(CelebATrain(a.root, t), batch_size=a.batch, shuffle=True, num_workers=a.workers,
                                         generator=torch.Generator().manual_seed(1))
    started = time.perf_counter()  # includes the workers' start, as the JVM side includes its threads' start
    images = 0
    for b, (x, _) in enumerate(loader):
        images += x.shape[0]
        if b + 1 >= a.batches:
            break
    seconds = time.perf_counter() - started
    print(json.dumps({"what": "load", "side": "torchvision", "threads": a.workers, "batch": a.batch, "images": images,
                      "seconds": round(seconds, 2), "imagesPerSecond": round(images / seconds, 1)}))


if __name__ == "__main__":
    main()
