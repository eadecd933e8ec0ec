#!/usr/bin/python3
"""Writes a CelebA-layout folder with the real layout and sizes and synthetic pixels:
img_align_celeba/000001.jpg ... (178 x 218 JPEG), list_attr_celeba.csv (40 attributes, -1/1) and
list_eval_partition.csv (the official split boundaries, scaled when fewer than 202,599 images).

usage: make_celeba.py OUT_DIR [N=202599] [WORKERS=2]
"""
import os
import sys
from multiprocessing import Pool

import numpy as np
from PIL import Image

NAMES = ("5_o_Clock_Shadow Arched_Eyebrows Attractive Bags_Under_Eyes Bald Bangs Big_Lips Big_Nose Black_Hair "
         "Blond_Hair Blurry Brown_Hair Bushy_Eyebrows Chubby Double_Chin Eyeglasses Goatee Gray_Hair Heavy_Makeup "
         "High_Cheekbones Male Mouth_Slightly_Open Mustache Narrow_Eyes No_Beard Oval_Face Pale_Skin Pointy_Nose "
         "Receding_Hairline Rosy_Cheeks Sideburns Smiling Straight_Hair Wavy_Hair Wearing_Earrings Wearing_Hat "
         "Wearing_Lipstick Wearing_Necklace Wearing_Necktie Young").split()
FULL = 202599
TRAIN_END, VAL_END = 162770, 182637  # official: 1..162770 train, ..182637 val, rest test
OUT = sys.argv[1]


def image(k):
    path = os.path.join(OUT, "img_align_celeba", "%06d.jpg" % k)
    if os.path.exists(path) and os.path.getsize(path) > 0:
        return  # written by an earlier, interrupted run (image k depends only on k)
    rng = np.random.default_rng(k)
    # a face-sized blob of smooth colour plus noise: JPEG sizes near the real ones (~10 kB)
    y, x = np.mgrid[0:218, 0:178]
    base = rng.integers(40, 200, size=3)
    blob = np.exp(-(((x - 89) / 50.0) ** 2 + ((y - 120) / 65.0) ** 2))
    pixels = base[None, None, :] * (0.5 + blob[..., None]) + rng.normal(0, 12, size=(218, 178, 3))
    tmp = path + ".tmp"
    Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(tmp, format="JPEG", quality=90)
    os.replace(tmp, path)


def main():
    n = int(sys.argv[2]) if len(sys.argv) > 2 else FULL
    workers = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    os.makedirs(os.path.join(OUT, "img_align_celeba"), exist_ok=True)
    train_end = round(n * TRAIN_END / FULL)
    val_end = round(n * VAL_END / FULL)
    rng = np.random.default_rng(0)
    with open(os.path.join(OUT, "list_attr_celeba.csv"), "w") as attr, \
            open(os.path.join(OUT, "list_eval_partition.csv"), "w") as part:
        attr.write("image_id," + ",".join(NAMES) + "\n")
        part.write("image_id,partition\n")
        for k in range(1, n + 1):
            values = np.where(rng.random(len(NAMES)) < 0.3, 1, -1)
            attr.write("%06d.jpg,%s\n" % (k, ",".join(str(v) for v in values)))
            part.write("%06d.jpg,%d\n" % (k, 0 if k <= train_end else 1 if k <= val_end else 2))
    with Pool(workers) as pool:
        pool.map(image, range(1, n + 1), chunksize=256)
    print("wrote %d images to %s (train %d, val %d, test %d)" % (n, OUT, train_end, val_end - train_end, n - val_end))


if __name__ == "__main__":
    main()
