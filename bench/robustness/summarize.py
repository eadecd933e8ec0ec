#!/usr/bin/env python3
"""Tables of the robustness study from RobustnessBenchMain's JSON lines: every cell, mean and range over seeds."""
import json
import statistics
import sys
from collections import defaultdict


def load(paths):
    rows = []
    for path in paths:
        with open(path) as f:
            rows += [json.loads(line) for line in f if line.startswith("{")]
    return rows


def fmt(values, pct=True):
    if not values:
        return "–"
    scale = 100 if pct else 1
    mean = statistics.mean(values) * scale
    if len(values) == 1:
        return f"{mean:.1f}"
    return f"{mean:.1f} ({min(values) * scale:.1f}–{max(values) * scale:.1f}, n={len(values)})"


def main(paths):
    rows = load(paths)
    data_sets = sorted({r["data"] for r in rows})
    methods = []
    for r in rows:
        if r["method"] != "erm" and r["method"] not in methods:
            methods.append(r["method"])
    for data in data_sets:
        cells = defaultdict(lambda: defaultdict(list))
        ceiling = defaultdict(list)
        order = []
        for r in rows:
            if r["data"] != data:
                continue
            if r["ratio"] == 0.5:
                ceiling[r["shortcut"]].append(r["test-conflicting"])
                continue
            key = (r["shortcut"], r["ratio"])
            if key not in order:
                order.append(key)
            cells[key][r["method"]].append(r)
        print(f"\n### {data}: accuracy on the bias-conflicting test, % (mean, range over seeds)\n")
        print("| shortcut | train conflicting | ERM | " + " | ".join(f"MaskTune {m}" for m in methods) + " | content-only ceiling |")
        print("|---" * (4 + len(methods)) + "|")
        for key in order:
            c = cells[key]
            line = [key[0], f"{key[1] * 100:g} %", fmt([r["test-conflicting"] for r in c["erm"]])]
            line += [fmt([r["test-conflicting"] for r in c[m]]) for m in methods]
            line.append(fmt(ceiling[key[0]]))
            print("| " + " | ".join(line) + " |")
        print(f"\n### {data}: worst group of the bias-conflicting test, %; and the masks (images keeping a shortcut pixel, %;"
              " balanced accuracy of the label from the masked place's colour, % — 50 = no cue)\n")
        print("| shortcut | train conflicting | " + " | ".join(f"{m}: worst group / residual / place cue" for m in methods) + " |")
        print("|---" * (2 + len(methods)) + "|")
        for key in order:
            c = cells[key]
            line = [key[0], f"{key[1] * 100:g} %"]
            for m in methods:
                rs = c[m]
                if not rs:
                    line.append("–")
                    continue
                wg = statistics.mean(r["worstGroup"] for r in rs) * 100
                res = statistics.mean(r["imagesWithResidual"] for r in rs) * 100
                cue = statistics.mean(r["predictivenessAfter"] for r in rs) * 100
                line.append(f"{wg:.1f} / {res:.1f} / {cue:.0f}")
            print("| " + " | ".join(line) + " |")


if __name__ == "__main__":
    main(sys.argv[1:])
