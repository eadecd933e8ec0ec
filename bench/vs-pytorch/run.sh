#!/usr/bin/env bash
# Service (DJL, libtorch 2.7.1) vs PyTorch eager (Debian python3-torch) on the same CPU, same threads:
# training steps and xGradCAM masking, alternating JVM / Python runs (A/B/A/B...).
#
#   bench/vs-pytorch/run.sh                 # everything, defaults below (~9 min on 2 busy cores)
#   CASES="train:small-cnn" PAIRS=3 bench/vs-pytorch/run.sh
#   RSS_TRACE=1 bench/vs-pytorch/run.sh     # only the long small-cnn RSS trace (5,000 steps, JVM)
#
# Knobs (environment): THREADS (default nproc), PAIRS (2), CASES (train:small-cnn train:resnet32
# mask:small-cnn mask:resnet32), SMALL_WARMUP/SMALL_STEPS (20/60), RESNET_WARMUP/RESNET_STEPS (2/8),
# MASK_SMALL_IMAGES (2048), MASK_RESNET_IMAGES (512), BATCH (128), JAVA_OPTS (the service's child-JVM
# options: -Xmx4g -XX:+UseParallelGC), JVM_GLIBC_TUNABLES / PY_GLIBC_TUNABLES (malloc settings of each
# side; default: the service child's for the JVM, glibc's defaults for Python), RESULTS (a .jsonl file the raw lines are appended to),
# JAR (default target/masktune-service-*.jar), BASELINE_JAR (an older build: each pair then also runs
# it, A0/A/B, and the summary shows its ratio too: before/after in the same run).
set -euo pipefail
cd "$(dirname "$0")/../.."

THREADS=${THREADS:-$(nproc)}
PAIRS=${PAIRS:-2}
BATCH=${BATCH:-128}
CASES=${CASES:-"train:small-cnn train:resnet32 mask:small-cnn mask:resnet32"}
SMALL_WARMUP=${SMALL_WARMUP:-20}
SMALL_STEPS=${SMALL_STEPS:-60}
RESNET_WARMUP=${RESNET_WARMUP:-2}
RESNET_STEPS=${RESNET_STEPS:-8}
MASK_SMALL_IMAGES=${MASK_SMALL_IMAGES:-2048}
MASK_RESNET_IMAGES=${MASK_RESNET_IMAGES:-512}
JAVA_OPTS=${JAVA_OPTS:-"-Xmx4g -XX:+UseParallelGC"}
# glibc malloc settings the service gives its child JVMs (ChildJvm.MALLOC_TUNABLES); JVM_GLIBC_TUNABLES= measures glibc's defaults
JVM_GLIBC_TUNABLES=${JVM_GLIBC_TUNABLES-glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824:glibc.malloc.top_pad=268435456}
PY_GLIBC_TUNABLES=${PY_GLIBC_TUNABLES-}   # PyTorch as people run it: glibc's defaults
RESULTS=${RESULTS:-/tmp/vs-pytorch-$(date +%Y%m%d-%H%M%S).jsonl}
LOG=${RESULTS%.jsonl}.log
PY=/usr/bin/python3

JAR=${JAR:-$(ls target/masktune-service-*.jar 2>/dev/null | grep -v original | head -1 || true)}
BASELINE_JAR=${BASELINE_JAR:-}
if [ -z "$JAR" ]; then
  echo "building the jar (mvn -B -o -DskipTests package)..." >&2
  mvn -B -o -q -DskipTests package >&2
  JAR=$(ls target/masktune-service-*.jar | grep -v original | head -1)
fi
if ! "$PY" -c 'import torch' 2>/dev/null; then
  echo "installing Debian's python3-torch..." >&2
  apt-get install -y python3-torch >&2
fi

export OMP_NUM_THREADS=$THREADS

jvm() {
  local jar=$1
  shift
  # shellcheck disable=SC2086
  GLIBC_TUNABLES=$JVM_GLIBC_TUNABLES java $JAVA_OPTS -Dai.djl.offline=true \
    -Dai.djl.pytorch.num_threads="$THREADS" -Dai.djl.pytorch.num_interop_threads="$THREADS" \
    -cp "$jar" -Dloader.main=org.masktune.ml.bench.TrainBenchMain \
    org.springframework.boot.loader.launch.PropertiesLauncher "$@" --threads "$THREADS" 2>>"$LOG"
}
py() {
  GLIBC_TUNABLES=$PY_GLIBC_TUNABLES "$PY" bench/vs-pytorch/torch_bench.py "$@" --threads "$THREADS" 2>>"$LOG"
}

echo "# $(date -Iseconds) $(nproc) cores, $(lscpu | grep 'Model name' | sed 's/ \+/ /g'), threads=$THREADS, jar=$JAR, JVM GLIBC_TUNABLES=${JVM_GLIBC_TUNABLES:-none}, Python GLIBC_TUNABLES=${PY_GLIBC_TUNABLES:-none}"
echo "# load before: $(uptime | sed 's/.*load average: //')"
echo "# raw results: $RESULTS"

if [ "${RSS_TRACE:-0}" = 1 ]; then
  STEPS=${TRACE_STEPS:-5000}
  EVERY=${TRACE_EVERY:-250}
  jvm "$JAR" --model small-cnn --what train --batch "$BATCH" --warmup-steps 0 --steps "$STEPS" --rss-trace "$EVERY" \
    | tee -a "$RESULTS"
  "$PY" - "$RESULTS" <<'PYEOF'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
trace = {l["step"]: l["rss_mb"] for l in lines if l.get("trace") == "rss"}
if 1000 in trace and max(trace) >= 5000:
    a, b = trace[1000], trace[5000]
    print(f"RSS step 1000: {a:.1f} MB, step 5000: {b:.1f} MB, growth {100 * (b - a) / a:+.2f} % (goal < 5 %)")
PYEOF
  echo "# load after: $(uptime | sed 's/.*load average: //')"
  exit 0
fi

for case in $CASES; do
  what=${case%%:*}
  model=${case##*:}
  if [ "$what" = train ]; then
    if [ "$model" = small-cnn ]; then args=(--warmup-steps "$SMALL_WARMUP" --steps "$SMALL_STEPS"); else args=(--warmup-steps "$RESNET_WARMUP" --steps "$RESNET_STEPS"); fi
    # both sides on random uint8 images of the same shape
    jargs=(--data random)
  else
    if [ "$model" = small-cnn ]; then n=$MASK_SMALL_IMAGES; else n=$MASK_RESNET_IMAGES; fi
    args=(--images "$n" --warmup-steps 2)
    jargs=(--data random)
  fi
  for pair in $(seq 1 "$PAIRS"); do
    if [ -n "$BASELINE_JAR" ]; then
      a0=$(jvm "$BASELINE_JAR" --model "$model" --what "$what" --batch "$BATCH" "${args[@]}" "${jargs[@]}" | grep '^{"side"')
      echo "${a0/\"side\":\"djl\"/\"side\":\"djl-baseline\"}" | tee -a "$RESULTS"
    fi
    a=$(jvm "$JAR" --model "$model" --what "$what" --batch "$BATCH" "${args[@]}" "${jargs[@]}" | grep '^{"side"')
    echo "$a" | tee -a "$RESULTS"
    b=$(py --model "$model" --what "$what" --batch "$BATCH" "${args[@]}" | grep '^{"side"')
    echo "$b" | tee -a "$RESULTS"
    echo "{\"pair\":$pair,\"case\":\"$case\",\"load\":\"$(uptime | sed 's/.*load average: //')\"}" >> "$RESULTS"
  done
done

echo "# load after: $(uptime | sed 's/.*load average: //')"
"$PY" bench/vs-pytorch/summarize.py "$RESULTS"
