#!/usr/bin/python3
"""Summary of a run.sh results file: images/s per run, ratio service/PyTorch (median over A/B pairs),
the same ratio from the median step time (less sensitive to load spikes from other processes; train
only), and peak RSS of each side.

    summarize.py results.jsonl
"""
import json
import statistics
import sys

GOAL = {"train": 0.95, "mask": 1.0}


def main():
    rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith('{"side"')]
    cases = {}
    for r in rows:
        cases.setdefault((r["what"], r["model"]), {"djl": [], "pytorch": [], "djl-baseline": []})[r["side"]].append(r)
    print(f"{'case':16s} {'side':9s} {'images/s per run':>28s} {'ratio':>6s} {'ratio(med step)':>15s} {'goal':>5s} {'peak RSS MB':>11s}")
    for (what, model), sides in cases.items():
        p = sides["pytorch"]
        print(f"{what + ' ' + model:16s} {'pytorch':9s} {fmt(p):>28s} {'':>6s} {'':>15s} {'':>5s} {peak(p):>11s}")
        for side in ("djl-baseline", "djl"):
            d = sides[side]
            if not d:
                continue
            ratio = statistics.median(a["images_per_s"] / b["images_per_s"] for a, b in zip(d, p))
            med = ""
            if what == "train":
                med = f"{statistics.median(b['step_ms_median'] / a['step_ms_median'] for a, b in zip(d, p)):.3f}"
            name = "svc" if side == "djl" else "svc-base"
            print(f"{'':16s} {name:9s} {fmt(d):>28s} {ratio:6.3f} {med:>15s} {GOAL[what]:5.2f} {peak(d):>11s}")


def fmt(runs):
    return " ".join(f"{r['images_per_s']:.1f}" for r in runs)


def peak(runs):
    return f"{max(r['peak_rss_mb'] for r in runs):.0f}" if runs else ""


if __name__ == "__main__":
    main()
