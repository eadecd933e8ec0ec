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
    overall(rows)
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


def overall(rows):
    """Per rule, over every (data, patch shortcut, ratio) cell it ran in: mean of the cell means."""
    patch = [r for r in rows if r["ratio"] != 0.5 and r["shortcut"].split("fashion-")[-1] not in ("background", "foreground")
             and not r["shortcut"].startswith("ci-")]
    cells = defaultdict(lambda: defaultdict(list))
    for r in patch:
        cells[r["method"]][(r["data"], r["shortcut"], r["ratio"])].append(r)
    print("\n### Every rule over the patch shortcuts (colour biases and the ci-* rows left out): mean over cells of the"
          " cell means\n")
    print("| rule | cells | bias-conflicting % | worst group % | original test % | images keeping a shortcut pixel % |"
          " masked place tells the label % | masked share of the image % |")
    print("|---|---|---|---|---|---|---|---|")
    for method, by_cell in cells.items():
        def mean_of(key):
            values = [statistics.mean(r[key] for r in rs) for rs in by_cell.values() if all(key in r for r in rs)]
            return f"{statistics.mean(values) * 100:.1f}" if values else "–"
        print(f"| {method} | {len(by_cell)} | {mean_of('test-conflicting')} | {mean_of('worstGroup')} | {mean_of('test-original')} |"
              f" {mean_of('imagesWithResidual')} | {mean_of('predictivenessAfter')} | {mean_of('maskedFraction')} |")


if __name__ == "__main__":
    main(sys.argv[1:])
