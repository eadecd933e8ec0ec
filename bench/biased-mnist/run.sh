#!/usr/bin/env bash
# Biased MNIST reproduction through the REST API only (curl + jq): starts the packaged service on a
# throw-away data directory, runs the MaskTune pipeline (train -> masktune -> evaluate) for each
# bias-conflicting ratio of the training data, and prints ERM vs MaskTune per test split.
#
#   bench/biased-mnist/run.sh                      # ratios 0 and 0.01, 5 ERM epochs, seed 1
#   RATIOS="0.0" EPOCHS=10 SEED=2 bench/biased-mnist/run.sh
#   BASE=http://host:8080 bench/biased-mnist/run.sh   # against a running service instead
#   MNIST_IDX=/data/mnist bench/biased-mnist/run.sh    # full MNIST from your IDX files instead
#   RATIOS="0.0 0.5" SUBSET=4000 bench/biased-mnist/run.sh   # fewer training digits; 0.5 = square uninformative
#   MT_EPOCHS=8 MT_ITERATIONS=2 MT_ACCUMULATIVE=true bench/biased-mnist/run.sh   # longer / repeated MaskTune
#   INPUT_NORMALIZATION=DATASET_MEAN_STD bench/biased-mnist/run.sh   # per-channel standardisation instead of pixel/255
#
# Paper settings: digits 0-4 vs 5-9, 4x4 red square top-left, small-cnn, SGD lr 0.01 momentum 0.9
# wd 1e-4, batch 128. Data: by default the 10,000 real MNIST digits shipped as the built-in
# biased-mnist. MNIST_IDX names a folder holding train-images-idx3-ubyte, train-labels-idx1-ubyte,
# t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (each raw or .gz): the script starts the service
# with that folder as its data root and builds Biased MNIST from it ({"format": "IDX", "biasedMnist"}),
# the same transform as the built-in. With BASE, MNIST_IDX is sent as the dataset path as it is, so
# it must lie under that service's masktune.datasets.roots. The table header says which data was used.
set -euo pipefail
MNIST_IDX=${MNIST_IDX:-}
if [ -n "$MNIST_IDX" ] && [ -z "${BASE:-}" ]; then
  [ -d "$MNIST_IDX" ] || { echo "MNIST_IDX=$MNIST_IDX is not a folder"; exit 1; }
  MNIST_IDX=$(cd "$MNIST_IDX" && pwd -P)   # absolute: the service's data root, and the dataset path in it
fi
cd "$(dirname "$0")/../.."

RATIOS=${RATIOS:-"0.0 0.01"}
EPOCHS=${EPOCHS:-5}
MT_EPOCHS=${MT_EPOCHS:-1}   # fine-tune epochs of MaskTune; the method uses 1
MT_ITERATIONS=${MT_ITERATIONS:-1}   # masking rounds (each masks with the model the previous round fine-tuned)
SUBSET=${SUBSET:-}   # at most this many images per split (train before the validation hold-out; the test splits have 2,000)
MT_ACCUMULATIVE=${MT_ACCUMULATIVE:-false}   # true: a round masks the previous round's masked images, not the originals
SEED=${SEED:-1}
INPUT_NORMALIZATION=${INPUT_NORMALIZATION:-}   # UNIT or DATASET_MEAN_STD; empty = the service's default (UNIT for IDX and the built-ins)
PORT=${PORT:-18080}

command -v jq >/dev/null || { apt-get update -qq && apt-get install -y -qq jq >/dev/null; }

idx_file() { # the raw or .gz file called $2 in folder $1, or nothing
  for f in "$1/$2" "$1/$2.gz"; do [ -f "$f" ] && { echo "$f"; return; }; done
}
idx_count() { # number of items an IDX file (raw or gzip) announces: header bytes 4-7, big-endian
  printf '%d' "0x$({ gzip -dcf "$1" 2>/dev/null || true; } | head -c 8 | od -An -tx1 | tr -d ' \n' | cut -c9-16)"
}

if [ -z "$MNIST_IDX" ]; then
  DATA_DESC="built-in biased-mnist (the 10,000 shipped MNIST digits: 8,000 train / 2,000 test)"
  DATASET='{"format": "BUILTIN", "name": "biased-mnist"}'
elif [ -n "${BASE:-}" ]; then
  DATA_DESC="MNIST IDX files at dataset path $MNIST_IDX of the service at $BASE"
  DATASET=$(jq -n --arg p "$MNIST_IDX" '{format: "IDX", path: $p}')
else
  for name in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
    [ -n "$(idx_file "$MNIST_IDX" "$name")" ] || { echo "MNIST_IDX=$MNIST_IDX has no $name[.gz]"; exit 1; }
  done
  DATA_DESC="MNIST IDX files in $MNIST_IDX ($(idx_count "$(idx_file "$MNIST_IDX" train-images-idx3-ubyte)") train /"
  DATA_DESC+=" $(idx_count "$(idx_file "$MNIST_IDX" t10k-images-idx3-ubyte)") test digits)"
  DATASET=$(jq -n --arg p "$MNIST_IDX" '{format: "IDX", path: $p}')
fi

if [ -z "${BASE:-}" ]; then
  JAR=$(ls target/masktune-service-*.jar 2>/dev/null | grep -v original | head -n 1 || true)
  if [ -z "$JAR" ]; then
    mvn -B -q -DskipTests package
    JAR=$(ls target/masktune-service-*.jar | grep -v original | head -n 1)
  fi
  DATA=$(mktemp -d)
  java -jar "$JAR" --server.port="$PORT" --masktune.embedded-postgres.data-dir="$DATA/pg" \
       --masktune.worker.work-dir="$DATA/work" --masktune.datasets.roots="${MNIST_IDX:-$DATA}" >"$DATA/service.log" 2>&1 &
  SERVICE=$!
  trap 'kill $SERVICE 2>/dev/null; wait $SERVICE 2>/dev/null; rm -rf "$DATA"' EXIT
  BASE=http://localhost:$PORT
  for _ in $(seq 1 "${STARTUP_SECONDS:-300}"); do   # a loaded 2-core machine can take minutes
    curl -fs "$BASE/actuator/health" >/dev/null 2>&1 && break
    sleep 1
  done
fi
curl -fs "$BASE/actuator/health" >/dev/null || { echo "service did not come up"; exit 1; }

seconds() { # ISO-8601 start and end -> seconds between them
  python3 -c 'import sys,datetime as d; f=lambda s: d.datetime.fromisoformat(s.replace("Z","+00:00")); print(round((f(sys.argv[2])-f(sys.argv[1])).total_seconds()))' "$1" "$2"
}

echo "# Biased MNIST through the API: $(date -u +%F), $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), ERM epochs $EPOCHS, MaskTune fine-tune epochs $MT_EPOCHS, rounds $MT_ITERATIONS (accumulative $MT_ACCUMULATIVE), seed $SEED${SUBSET:+, subsetSize $SUBSET}${INPUT_NORMALIZATION:+, inputNormalization $INPUT_NORMALIZATION}"
echo "# Data: $DATA_DESC"
printf '| conflicting (train) | model | test-original | test-conflicting | worst group (conflicting) | images keeping a square pixel | stage wall time |\n'
printf '|---|---|---|---|---|---|---|\n'
for ratio in $RATIOS; do
  body=$(jq -n --argjson d "$DATASET" --argjson r "$ratio" --argjson e "$EPOCHS" --argjson s "$SEED" --argjson m "$MT_EPOCHS" --argjson it "$MT_ITERATIONS" --argjson acc "$MT_ACCUMULATIVE" --arg n "$SUBSET" --arg norm "$INPUT_NORMALIZATION" '{
    dataset: ($d + {biasedMnist: {trainConflictRatio: $r}} + (if $n == "" then {} else {subsetSize: ($n | tonumber)} end)),
    model: "small-cnn",
    training: {epochs: $e, batchSize: 128, learningRate: 0.01, momentum: 0.9, weightDecay: 0.0001, seed: $s},
    masktune: {epochs: $m, iterations: $it, accumulative: $acc}} + (if $norm == "" then {} else {inputNormalization: $norm} end)')
  answer=$(curl -s -X POST "$BASE/api/v1/pipelines/masktune" -H 'Content-Type: application/json' -d "$body" -w '\n%{http_code}')
  code=${answer##*$'\n'}
  answer=${answer%$'\n'*}
  [ "$code" = 202 ] || { echo "pipeline submit answered $code: $answer"; exit 1; }
  id=$(jq -r .id <<<"$answer")
  while :; do
    view=$(curl -fs "$BASE/api/v1/pipelines/$id")
    status=$(jq -r .status <<<"$view")
    case $status in SUCCEEDED|FAILED|CANCELLED) break ;; esac
    sleep 5
  done
  if [ "$status" != SUCCEEDED ]; then
    echo "pipeline $id $status: $(jq -r .reason <<<"$view")"; exit 1
  fi
  times=""
  for i in 0 1 2; do
    stage=$(jq -r ".stages[$i].name" <<<"$view")
    times+="$stage $(seconds "$(jq -r ".stages[$i].startedAt" <<<"$view")" "$(jq -r ".stages[$i].finishedAt" <<<"$view")") s, "
  done
  masktune=$(jq -r '.stages[1].jobId' <<<"$view")
  hit=$(curl -fs "$BASE/api/v1/jobs/$masktune" | jq -r '.result.rounds[0].masking.shortcut.imagesWithResidualPixels')
  rows=$(jq -c '.summary.rows' <<<"$view")
  metric() { jq -r --arg m "$1" --arg s "$2" --arg model "$3" \
    '[.[] | select(.metric == $m and .split == $s and .model == $model and .method == null) | .values[0]][0] // "n/a"' <<<"$rows"; }
  for model in erm masktune; do
    printf '| %s %% | %s | %.4f | %.4f | %.4f | %s | %s |\n' "$(python3 -c "print($ratio*100)")" "$model" \
      "$(metric accuracy test-original $model)" "$(metric accuracy test-conflicting $model)" \
      "$(metric worstGroupAccuracy test-conflicting $model)" \
      "$([ $model = masktune ] && printf '%.4f' "$hit" || echo -)" "$([ $model = masktune ] && echo "${times%, }" || echo -)"
  done
done
