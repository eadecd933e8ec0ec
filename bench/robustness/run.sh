#!/usr/bin/env bash
# The robustness study of issue 11: ERM, MaskTune with the paper's mask rule and with the other rules, over a grid
# of shortcuts (patch size, colour, corner, centre, random place, shape, the authors' background and foreground
# colour biases), conflicting ratios and seeds, on the built-in digits or on MNIST-layout IDX files
# (e.g. Debian's Fashion-MNIST), plus the content-only ceiling of each shortcut (ERM where the shortcut carries no
# label information: ratio 0.5). One JSON line per model, appended to $OUT; summarize.py turns them into tables.
#
#   bench/robustness/run.sh                                   # the whole grid on the built-in digits
#   IDX=/usr/share/dataset-fashion-mnist OUT=fashion.jsonl bench/robustness/run.sh
#   SHORTCUTS="paper heldout" RATIOS="0.0" SEEDS="1 2 3" RULES=paper,dilate-inpaint bench/robustness/run.sh
#   python3 bench/robustness/summarize.py results/*.jsonl
#
# Knobs: SHORTCUTS (names below), RATIOS (train conflicting ratios), SEEDS, RULES (RobustnessBenchMain.RULES names),
# CEILING_SEEDS (seeds of the ratio-0.5 ceiling runs, default the first seed; empty = none), SUBSET (images per split, default all), EPOCHS (ERM, default 5, the paper's),
# IDX (an IDX folder instead of the built-in digits), JAR (default target/masktune-service-*.jar), OUT.
set -euo pipefail
cd "$(dirname "$0")/../.."

declare -A SHORTCUT=(
  [paper]='{}'
  [heldout]='{"squareSize":3,"color":[0,255,0],"squareX":25,"squareY":25}'
  [big-blue-tr]='{"squareSize":6,"color":[0,0,255],"squareX":22,"squareY":0}'
  [centre]='{"squareSize":4,"color":[255,255,0],"squareX":12,"squareY":12}'
  [random]='{"squareSize":4,"color":[255,0,255],"randomPosition":true}'
  [cross]='{"squareSize":5,"color":[0,255,255],"shape":"CROSS","squareX":0,"squareY":23}'
  [ring]='{"squareSize":5,"color":[255,128,0],"shape":"RING","squareX":23,"squareY":23}'
  [background]='{"bias":"BACKGROUND"}'
  [foreground]='{"bias":"FOREGROUND"}'
)
SHORTCUTS=${SHORTCUTS:-"paper heldout big-blue-tr centre random cross ring background foreground"}
RATIOS=${RATIOS:-"0.0 0.01 0.05"}
SEEDS=${SEEDS:-"1 2 3"}
RULES=${RULES:-paper,dilate,inpaint,dilate-inpaint}
CEILING_SEEDS=${CEILING_SEEDS-${SEEDS%% *}}
EPOCHS=${EPOCHS:-5}
OUT=${OUT:-bench/robustness/results/$(date +%F)-$( [ -n "${IDX:-}" ] && echo idx || echo builtin ).jsonl}
mkdir -p "$(dirname "$OUT")"

JAR=${JAR:-$(ls target/masktune-service-*.jar 2>/dev/null | grep -v original | head -1 || true)}
if [ -z "$JAR" ]; then
  mvn -B -q -DskipTests package
  JAR=$(ls target/masktune-service-*.jar | grep -v original | head -1)
fi

cell() { # shortcut ratio seed rules
  local args=(--bias "${SHORTCUT[$1]}" --ratio "$2" --seed "$3" --epochs "$EPOCHS" --rules "$4")
  [ -n "${IDX:-}" ] && args+=(--idx "$IDX")
  [ -n "${SUBSET:-}" ] && args+=(--subset "$SUBSET")
  java -Xmx4g -Dai.djl.offline=true -cp "$JAR" -Dloader.main=org.masktune.ml.bench.RobustnessBenchMain \
    org.springframework.boot.loader.launch.PropertiesLauncher "${args[@]}" 2>>"$OUT.log" \
    | grep '^{' | jq -c --arg s "$1" '. + {shortcut: $s}' | tee -a "$OUT"
}

echo "# $(date -Iseconds) $(nproc) cores, $(lscpu | grep 'Model name' | sed 's/ \+/ /g'), data=${IDX:-built-in}, subset=${SUBSET:-all}, jar=$JAR" | tee -a "$OUT.log"
for s in $SHORTCUTS; do
  for seed in $SEEDS; do
    for r in $RATIOS; do
      cell "$s" "$r" "$seed" "$RULES"
    done
  done
  for seed in $CEILING_SEEDS; do
    cell "$s" 0.5 "$seed" ""
  done
done
