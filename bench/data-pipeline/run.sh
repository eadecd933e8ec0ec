#!/usr/bin/env bash
# The data path at CelebA scale: a CelebA-layout folder (202,599 JPEGs at 178 x 218 with
# list_attr_celeba.csv and list_eval_partition.csv, synthetic pixels), then
#   1. the decoded cache build at SIZE px: images/s and bytes on disk;
#   2. loader throughput, RandomResizedCrop + flip + normalise at SIZE px, 1 and 2 threads, against
#      torchvision's DataLoader (PIL decoding, same transforms, same number of workers), alternating
#      in one run, ROUNDS times;
#   3. peak RSS of a JVM loading one full epoch of the train split (2 threads);
#   4. peak RSS and images/s over STEPS training steps of resnet50 at SIZE px, batch 32, through the
#      service's own training loop.
#
# usage:
#   bench/data-pipeline/run.sh                      # full size (needs ~31 GB for the 224 px cache, hours on 2 cores)
#   N=20000 STEPS=20 bench/data-pipeline/run.sh     # what bench/README.md reports, reduced
# env: N (images, default 202599), SIZE (224), ROUNDS (2), BATCHES (loader batches of 64 per run, 200),
#      STEPS (200), DATA (default data/bench/celeba-N), CACHE (data/bench/cache), WORKERS (generation, 2),
#      JAR (default target/masktune-service-*.jar, built if missing), JAVA_OPTS (-Xmx1g -XX:+UseParallelGC),
#      PARTS (which steps to run, default "build load epoch train"; SKIP_TRAIN=1 drops train), PY (/usr/bin/python3 with python3-torch and python3-torchvision)
set -euo pipefail
cd "$(dirname "$0")/../.."

N=${N:-202599}
SIZE=${SIZE:-224}
ROUNDS=${ROUNDS:-2}
BATCHES=${BATCHES:-200}
STEPS=${STEPS:-200}
DATA=${DATA:-data/bench/celeba-$N}
CACHE=${CACHE:-data/bench/cache}
WORKERS=${WORKERS:-2}
PY=${PY:-/usr/bin/python3}
JAVA_OPTS=${JAVA_OPTS:--Xmx1g -XX:+UseParallelGC}
# the malloc settings the service gives its child JVMs (ChildJvm.MALLOC_TUNABLES)
CHILD_TUNABLES=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824:glibc.malloc.top_pad=268435456
PARTS=${PARTS:-build load epoch train}
[ -n "${SKIP_TRAIN:-}" ] && PARTS=${PARTS//train/}
part() { [[ " $PARTS " == *" $1 "* ]]; }
OUT_DIR=bench/data-pipeline/results
mkdir -p "$OUT_DIR" "$(dirname "$DATA")"
RESULT=$OUT_DIR/$(date +%Y-%m-%d)-n$N.txt
LOG=$OUT_DIR/$(date +%Y-%m-%d)-n$N.log

"$PY" -c 'import torch, torchvision, PIL' || { echo "needs $PY with torch and torchvision: apt-get install -y python3-torch python3-torchvision" >&2; exit 1; }
JAR=${JAR:-$(ls target/masktune-service-*.jar 2>/dev/null | grep -v original | head -1 || true)}
if [ -z "$JAR" ]; then
  echo "building the jar (mvn -B -o -DskipTests package)..." >&2
  mvn -B -o -q -DskipTests package
  JAR=$(ls target/masktune-service-*.jar | grep -v original | head -1)
fi

jvm() {
  # shellcheck disable=SC2086
  GLIBC_TUNABLES=$CHILD_TUNABLES java $JAVA_OPTS -Dai.djl.offline=true -cp "$JAR" \
    -Dloader.main=org.masktune.ml.bench.DataPipelineBenchMain \
    org.springframework.boot.loader.launch.PropertiesLauncher "$@" --root "$DATA" --cache "$CACHE" --size "$SIZE" 2>>"$LOG"
}
py() {
  "$PY" bench/data-pipeline/torch_loader.py "$DATA" --size "$SIZE" "$@" 2>>"$LOG"
}

{
  echo "# $(date -Iseconds) $(nproc) cores, $(lscpu | grep 'Model name' | sed 's/ \+/ /g'), $(free -g | awk '/Mem:/ {print $2 " GiB"}'), load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# N=$N SIZE=$SIZE ROUNDS=$ROUNDS BATCHES=$BATCHES STEPS=$STEPS JAVA_OPTS=$JAVA_OPTS jar=$JAR"
} | tee "$RESULT"

if [ ! -f "$DATA/.complete" ]; then
  echo "generating $N images in $DATA ..." >&2
  started=$(date +%s)
  "$PY" bench/data-pipeline/make_celeba.py "$DATA" "$N" "$WORKERS" >&2
  touch "$DATA/.complete"
  echo "# generated in $(( $(date +%s) - started )) s; folder $(du -sh "$DATA" | cut -f1)" | tee -a "$RESULT"
fi

# 1. cache build (a cache already built for this folder and size is reused: delete $CACHE to time it again)
if part build; then jvm build | tee -a "$RESULT"; fi

# 2. loader throughput, alternating JVM / torchvision
part load || ROUNDS=0
for round in $(seq 1 "$ROUNDS"); do
  for threads in 1 2; do
    jvm load --threads "$threads" --batch 64 --batches "$BATCHES" | sed "s/^{/{\"round\":$round,/" | tee -a "$RESULT"
    py --workers "$threads" --batch 64 --batches "$BATCHES" | sed "s/^{/{\"round\": $round, /" | tee -a "$RESULT"
  done
done

# 3. one full epoch of loading the train split, peak RSS
if part epoch; then
  jvm load --threads 2 --batch 64 --epoch | sed 's/^{/{"epoch":true,/' | tee -a "$RESULT"
fi

# 4. resnet50 training steps, peak RSS
if part train; then
  jvm train --threads 1 --batch 32 --steps "$STEPS" --model resnet50 | tee -a "$RESULT"
fi

"$PY" - "$RESULT" <<'PYEOF' | tee -a "$RESULT.summary"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
for threads in (1, 2):
    j = [r["imagesPerSecond"] for r in rows if r.get("what") == "load" and r.get("side") == "java" and r["threads"] == threads and not r.get("epoch")]
    t = [r["imagesPerSecond"] for r in rows if r.get("side") == "torchvision" and r["threads"] == threads]
    if j and t:
        print("# loader, %d thread(s): JVM %s images/s, torchvision %s images/s, ratio of means %.2f"
              % (threads, j, t, (sum(j) / len(j)) / (sum(t) / len(t))))
PYEOF
cat "$RESULT.summary" >> "$RESULT" && rm "$RESULT.summary"
