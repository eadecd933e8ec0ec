"""Runs the MaskTune authors' own code (a checkout of their public repository, never copied here) on
Biased MNIST as their bash_files/mnist_masktune.sh does, with the run-time shims this machine needs,
then measures their best-ERM and fine-tuned checkpoints on the same test splits the service reports.

  authors_run.py CHECKOUT BASE_DIR IDX_DIR SEED RATIO EPOCHS [THREADS]

Shims (all applied here, at run time; the checkout is only read):
  * pytorch_grad_cam (grad-cam 1.3.7, not in Debian) and timm: stand-ins in ./shims (see their docstrings);
  * no download: the four IDX files of IDX_DIR are written uncompressed to
    BASE_DIR/datasets/BiasedMNIST/raw (torchvision then finds them), and MNIST.download is made to fail;
  * CPU: --use_cuda is not passed; DataParallel falls back to the bare module without CUDA;
  * --workers 0 (no loader processes on a 2-core machine; the batches are the same);
  * seeding: the authors' MNIST code seeds nothing; random, numpy, torch and the validation split's
    default_rng() are seeded with SEED here so a run can be repeated;
  * the validation split: their code moves 12,000 random training images (20 % of 60,000) to val;
    with fewer training images (a reduced run) it takes 20 % of them instead (unchanged at 60,000).
Prints one JSON line starting with "AUTHORS_RESULT ".
"""
import gzip
import json
import os
import random
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def write_raw_idx(idx_dir, raw_dir):
    os.makedirs(raw_dir, exist_ok=True)
    for name in ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"):
        target = os.path.join(raw_dir, name)
        if os.path.exists(target):
            continue
        plain, packed = os.path.join(idx_dir, name), os.path.join(idx_dir, name + ".gz")
        if os.path.exists(plain):
            data = open(plain, "rb").read()
        elif os.path.exists(packed):
            data = gzip.open(packed, "rb").read()
        else:
            sys.exit(f"{idx_dir} has no {name}[.gz]")
        with open(target, "wb") as f:
            f.write(data)


class SeededRng:
    """numpy's default_rng(seed); choice(n, size > 20 % of n) takes 20 % of n (the authors' 12,000 of 60,000)."""

    def __init__(self, seed):
        import numpy as np
        self.rng = np.random.default_rng(seed)

    def choice(self, a, size=None, replace=True, p=None):
        if isinstance(a, int) and size is not None and size > round(0.2 * a):
            size = round(0.2 * a)
        return self.rng.choice(a, size=size, replace=replace, p=p)


def evaluate(model, dataset, device):
    import torch
    loader = torch.utils.data.DataLoader(dataset, batch_size=256, shuffle=False, num_workers=0)
    model.eval()
    correct = [0, 0]
    count = [0, 0]
    with torch.no_grad():
        for inputs, _, targets in loader:
            predictions = model(inputs.to(device)).argmax(1).cpu()
            for c in (0, 1):
                chosen = targets == c
                count[c] += int(chosen.sum())
                correct[c] += int((predictions[chosen] == c).sum())
    return {"accuracy": sum(correct) / sum(count), "perClass": [correct[c] / count[c] if count[c] else None for c in (0, 1)],
            "images": sum(count)}


def main():
    checkout, base_dir, idx_dir, seed, ratio, epochs = sys.argv[1:7]
    threads = int(sys.argv[7]) if len(sys.argv) > 7 else 2
    seed, ratio, epochs = int(seed), float(ratio), int(epochs)
    checkout, base_dir = os.path.abspath(checkout), os.path.abspath(base_dir)
    sys.path.insert(0, os.path.join(HERE, "shims"))
    sys.path.insert(0, checkout)
    os.chdir(checkout)

    import numpy as np
    import torch
    import torchvision.datasets.mnist as tv_mnist

    torch.set_num_threads(threads)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    write_raw_idx(idx_dir, os.path.join(base_dir, "datasets", "BiasedMNIST", "raw"))

    def no_download(self):
        if not self._check_exists():
            raise RuntimeError(f"no IDX files in {self.raw_folder}; this bench never downloads")
    tv_mnist.MNIST.download = no_download

    import src.methods.mnist_train as mnist_train
    from src.arguments import init_train_argparse
    from src.datasets import BiasedMNIST
    from src.models import SmallCNN
    from src.utils import load_checkpoint
    mnist_train.default_rng = lambda *a, **k: SeededRng(seed)

    # bash_files/mnist_masktune.sh, with --epochs, the ratio and CPU instead of --use_cuda
    args = init_train_argparse().parse_args([
        "--dataset", "mnist", "--train", "--arch", "small_cnn", "--base_dir", base_dir, "--lr", "0.01",
        "--optimizer", "sgd", "--train_batch", "128", "--test_batch", "128", "--masking_batch", "128",
        "--epochs", str(epochs), "--train_bias_conflicting_data_ratio", str(ratio),
        "--test_bias_conflicting_data_ratio", "1.0", "--bias_type", "square", "--test_data_type", "square",
        "--masktune", "--square_number", "1", "--workers", "0"])
    started = time.time()
    method = mnist_train.MnistTrain(args)
    method.masktune()                                        # src/main.py: --train --masktune
    method.test(method.finetuned_model_checkpoint_path)      # ... without --selective_classification
    seconds = time.time() - started

    from torchvision import transforms
    original = BiasedMNIST(root=os.path.join(base_dir, "datasets"), train=False, transform=transforms.ToTensor(), download=True,
                           bias_conflicting_data_ratio=1.0, bias_type="none", square_number=1)
    result = {"seed": seed, "ratio": ratio, "epochs": epochs, "seconds": round(seconds),
              "trainImages": len(method.train_dataset), "validationImages": len(method.val_dataset)}
    for name, path in (("erm", method.best_erm_model_checkpoint_path), ("masktune", method.finetuned_model_checkpoint_path)):
        model = SmallCNN(num_classes=2)
        model, _, _, epoch_after, _ = load_checkpoint(model=model, optimizer=None, lr_scheduler=None, checkpoint_path=path)
        conflicting = evaluate(model, method.test_dataset, "cpu")
        result[name] = {"checkpointEpoch": epoch_after - 1, "testConflicting": conflicting["accuracy"],
                        "worstGroup": min(a for a in conflicting["perClass"] if a is not None),
                        "perClassConflicting": conflicting["perClass"], "testOriginal": evaluate(model, original, "cpu")["accuracy"],
                        "testImages": conflicting["images"]}
    print("AUTHORS_RESULT " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
