#!/usr/bin/env bash
# The MaskTune authors' own implementation and this service, side by side on the same Biased MNIST
# (or Fashion-MNIST) IDX files and settings: ERM and MaskTune accuracy on the bias-conflicting test,
# the original (square-free) test and the worst group of the bias-conflicting test.
#
#   bench/authors-vs-service/run.sh /path/to/Masktune          # a checkout of aliasgharkhani/Masktune (yours; read only)
#   IDX=/usr/share/datasets/fashion-mnist bench/authors-vs-service/run.sh /path/to/Masktune
#   IDX=/data/mnist RATIOS="0.0 0.01" EPOCHS=5 SEEDS="1 2 3" bench/authors-vs-service/run.sh /path/to/Masktune
#   SIDES=authors ... | SIDES=service ...                       # one side only
#
# IDX: a folder with train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and
# t10k-labels-idx1-ubyte (raw or .gz); default the service's built-in 10,000 MNIST digits
# (src/main/resources/datasets/mnist-10k: 8,000 train / 2,000 test). Both sides read the same files.
# The authors' side runs their code from the checkout on Debian's PyTorch (/usr/bin/python3 with
# python3-torch, python3-torchvision, python3-opencv, python3-pandas, python3-tqdm) through
# authors_run.py, which applies the shims listed in README.md at run time; nothing of theirs is copied
# here. The service side is bench/biased-mnist/run.sh (the REST API of the packaged jar) with MNIST_IDX.
# Raw outputs land in OUT (default a new temporary folder, printed at the end).
set -euo pipefail
[ $# -ge 1 ] || { sed -n '2,20p' "$0"; exit 2; }
AUTHORS=$(cd "$1" && pwd -P)
[ -f "$AUTHORS/src/methods/base_method.py" ] && [ -f "$AUTHORS/src/models/simple_cnn.py" ] \
  || { echo "$AUTHORS is not a checkout of aliasgharkhani/Masktune (no src/methods/base_method.py)"; exit 1; }
HERE=$(cd "$(dirname "$0")" && pwd -P)
ROOT=$(cd "$HERE/../.." && pwd -P)
IDX=${IDX:-$ROOT/src/main/resources/datasets/mnist-10k}
IDX=$(cd "$IDX" && pwd -P)
RATIOS=${RATIOS:-"0.0 0.01"}
EPOCHS=${EPOCHS:-5}
SEEDS=${SEEDS:-1}
THREADS=${THREADS:-2}
SIDES=${SIDES:-"authors service"}
PYTHON=${PYTHON:-/usr/bin/python3}
OUT=${OUT:-$(mktemp -d /tmp/authors-vs-service.XXXXXX)}
mkdir -p "$OUT"

if [[ " $SIDES " == *" authors "* ]]; then
  for m in torch torchvision cv2 pandas tqdm PIL; do
    "$PYTHON" -c "import $m" 2>/dev/null || { echo "$PYTHON cannot import $m: apt-get install python3-torch python3-torchvision python3-opencv python3-pandas python3-tqdm python3-pil"; exit 1; }
  done
fi

for seed in $SEEDS; do
  if [[ " $SIDES " == *" authors "* ]]; then
    for ratio in $RATIOS; do
      base="$OUT/authors-$ratio-seed$seed"
      rm -rf "$base"
      echo "authors: ratio $ratio, seed $seed -> $base.log" >&2
      "$PYTHON" "$HERE/authors_run.py" "$AUTHORS" "$base" "$IDX" "$seed" "$ratio" "$EPOCHS" "$THREADS" >"$base.log" 2>&1 \
        || { echo "the authors' run failed, see $base.log"; tail -20 "$base.log"; exit 1; }
      grep '^AUTHORS_RESULT ' "$base.log" | sed 's/^AUTHORS_RESULT //' >"$base.json"
      rm -rf "$base"   # their PNG copies of the data, masks and checkpoints
    done
  fi
  if [[ " $SIDES " == *" service "* ]]; then
    echo "service: ratios $RATIOS, seed $seed -> $OUT/service-seed$seed.md" >&2
    MNIST_IDX="$IDX" RATIOS="$RATIOS" EPOCHS="$EPOCHS" SEED="$seed" PORT="${PORT:-18111}" \
      "$ROOT/bench/biased-mnist/run.sh" >"$OUT/service-seed$seed.md"
  fi
done

"$PYTHON" - "$OUT" "$RATIOS" "$SEEDS" "$EPOCHS" "$IDX" <<'PY'
import json, os, statistics, sys
out, ratios, seeds, epochs, idx = sys.argv[1], sys.argv[2].split(), sys.argv[3].split(), sys.argv[4], sys.argv[5]
rows = {}  # (ratio, side) -> list of per-seed dicts
for seed in seeds:
    for ratio in ratios:
        path = os.path.join(out, f"authors-{ratio}-seed{seed}.json")
        if os.path.exists(path):
            r = json.load(open(path))
            rows.setdefault((ratio, "authors"), []).append({m: (r[m]["testConflicting"], r[m]["testOriginal"], r[m]["worstGroup"])
                                                            for m in ("erm", "masktune")})
    path = os.path.join(out, f"service-seed{seed}.md")
    if os.path.exists(path):
        found = {}
        for line in open(path):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) >= 5 and cells[1] in ("erm", "masktune") and cells[0].endswith("%"):
                pct = float(cells[0].rstrip(" %"))
                ratio = next(r for r in ratios if abs(float(r) * 100 - pct) < 1e-9)
                found.setdefault(ratio, {})[cells[1]] = (float(cells[3]), float(cells[2]), float(cells[4]))
        for ratio, models in found.items():
            rows.setdefault((ratio, "service"), []).append(models)
print(f"# Authors' code vs this service: {idx}, ERM epochs {epochs}, seeds {' '.join(seeds)} (mean over seeds; one value per seed in brackets)")
print("| conflicting (train) | implementation | ERM test-conflicting | ERM test-original | ERM worst group | MaskTune test-conflicting | MaskTune test-original | MaskTune worst group |")
print("|---|---|---|---|---|---|---|---|")
def cell(values):
    mean = statistics.mean(values)
    return f"{mean:.4f}" + (" [" + ", ".join(f"{v:.4f}" for v in values) + "]" if len(values) > 1 else "")
for ratio in ratios:
    for side in ("authors", "service"):
        runs = rows.get((ratio, side))
        if not runs:
            continue
        cells = [cell([run[m][k] for run in runs]) for m in ("erm", "masktune") for k in range(3)]
        print(f"| {float(ratio) * 100:g} % | {'authors (their code)' if side == 'authors' else 'service (paper preset)'} | " + " | ".join(cells) + " |")
PY
echo "raw outputs: $OUT" >&2
