#!/usr/bin/env bash
# HTTP load on the job API of the packaged service (issue 7, part 3): starts it on a throw-away data
# directory with embedded PostgreSQL on a fixed port, stores JOBS finished device-check jobs with SQL
# (so nothing runs: only the API is measured), and drives it with wrk:
#   (a) GET /api/v1/jobs/{id}, random ids, no If-None-Match         -> 200
#   (a') the same over RUNNING jobs (a version read per poll; finished jobs are answered from memory)
#   (b) the same with the job's current ETag as If-None-Match        -> 304
#   (c) GET /api/v1/jobs?page=N&size=20, random pages                 -> 200
#   (d) POST /api/v1/jobs/device-check, fixed Idempotency-Key + body  -> 200 (the existing job)
# then trains a small CNN twice, once idle and once with wrk on (a) during every epoch, and compares
# the per-epoch imagesPerSecond the training child reports.
#
#   bench/api-load/run.sh
#   THREADS=2 CONNECTIONS=16 DURATION=20s WARMUP=5s JOBS=10000 bench/api-load/run.sh
#   SKIP_TRAIN=1 bench/api-load/run.sh           # only the endpoint runs
#   SKIP_ENDPOINTS=1 WRK_NICE=19 bench/api-load/run.sh  # only training idle vs under load, wrk at nice 19
#   SKIP_ENDPOINTS=1 TRAIN_POLL_RATE=2000 bench/api-load/run.sh  # training while wrk polls at about 2,000/s
#   JAVA_OPTS=-Dmasktune.worker.request-thread-nice=0 bench/api-load/run.sh  # request threads at nice 0 (as before)
#   JIT_WARMUP=0 bench/api-load/run.sh           # skip the first pass over all four scripts (JIT warm-up)
#   MAX_LOAD=3 LOAD_WAIT=120 bench/api-load/run.sh  # wait up to 120 s for the 1-min load to drop below 3
#
# Prints a markdown table; every figure carries the 1-minute load average before and after it.
set -euo pipefail
cd "$(dirname "$0")/../.."

PORT=${PORT:-18090}
PG_PORT=${PG_PORT:-15433}
JOBS=${JOBS:-10000}
RUNNING_JOBS=${RUNNING_JOBS:-1000}   # of JOBS, stored as RUNNING on a worker that does not exist
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-16}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-5s}
JIT_WARMUP=${JIT_WARMUP:-15s}
MAX_LOAD=${MAX_LOAD:-3}
LOAD_WAIT=${LOAD_WAIT:-60}
SKIP_TRAIN=${SKIP_TRAIN:-0}
SKIP_ENDPOINTS=${SKIP_ENDPOINTS:-0}   # 1: only the training comparison
TRAIN_POLL_RATE=${TRAIN_POLL_RATE:-0}   # polls/s wrk aims at during the training comparison; 0 = as fast as it can
WRK_NICE=${WRK_NICE:-0}   # nice value of wrk during the training comparison (e.g. 19: clients as if on other machines)
TRAIN_EPOCHS=${TRAIN_EPOCHS:-4}
TRAIN_SUBSET=${TRAIN_SUBSET:-4000}

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v jq >/dev/null || { apt-get update -qq && apt-get install -y -qq jq >/dev/null; }
command -v psql >/dev/null || { echo "needs the psql client"; exit 1; }

JAR=${JAR:-target/masktune-service-0.1.0-SNAPSHOT.jar}   # JAR=... measures another build with this script
[ -f "$JAR" ] || mvn -B -o -q -DskipTests package
DATA=$(mktemp -d)
java ${JAVA_OPTS:-} -jar "$JAR" --server.port="$PORT" \
     --masktune.embedded-postgres.port="$PG_PORT" --masktune.embedded-postgres.data-dir="$DATA/pg" \
     --masktune.worker.work-dir="$DATA/work" --masktune.datasets.roots="$DATA" \
     --masktune.security.admin-token-file="$DATA/admin-token" >"$DATA/service.log" 2>&1 &
SERVICE=$!
WRK=""
cleanup() {
  set +e
  [ -n "$WRK" ] && kill "$WRK" 2>/dev/null
  kill "$SERVICE" 2>/dev/null; wait "$SERVICE" 2>/dev/null
  [ -n "${KEEP_LOG:-}" ] && cp "$DATA/service.log" "$KEEP_LOG"
  rm -rf "$DATA"
}
trap cleanup EXIT
BASE=http://localhost:$PORT
for _ in $(seq 1 180); do
  curl -fs "$BASE/actuator/health" >/dev/null 2>&1 && break
  kill -0 "$SERVICE" 2>/dev/null || { tail -50 "$DATA/service.log"; exit 1; }
  sleep 1
done
curl -fs "$BASE/actuator/health" >/dev/null || { echo "service did not come up"; tail -50 "$DATA/service.log"; exit 1; }
# the API wants the admin token the service wrote on first start, the embedded database its generated password
export MASKTUNE_TOKEN=$(cat "$DATA/admin-token")
export PGPASSWORD=$(cat "$DATA/pg.password")
api() { curl -H "Authorization: Bearer $MASKTUNE_TOKEN" "$@"; }

sql() { psql -h localhost -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
load1() { cut -d' ' -f1 /proc/loadavg; }
PG_PID=$(pgrep -f -- "-p $PG_PORT -F" | head -n 1)
cpu_ticks() { # CPU ticks (1/100 s) used so far by the service JVM and by its PostgreSQL (postmaster, backends, reaped)
  local j p x
  j=$(awk '{print $14 + $15}' /proc/"$SERVICE"/stat)
  p=$(awk '{print $14 + $15 + $16 + $17}' /proc/"$PG_PID"/stat)
  for x in $(pgrep -P "$PG_PID"); do p=$((p + $(awk '{print $14 + $15}' /proc/"$x"/stat 2>/dev/null || echo 0))); done
  echo "$j $p"
}
settle() { # wait (up to LOAD_WAIT s) for the 1-minute load average to fall below MAX_LOAD
  local waited=0
  while awk -v l="$(load1)" -v m="$MAX_LOAD" 'BEGIN{exit !(l >= m)}' && [ "$waited" -lt "$LOAD_WAIT" ]; do
    sleep 5; waited=$((waited + 5))
  done
}

# --- 10,000 finished jobs, each with its job_events row, as a worker would have left them ------------
sql <<SQL
INSERT INTO jobs (id, type, status, priority, config, result, attempt, max_attempts, device, worker, progress,
                  progress_message, created_at, started_at, finished_at, updated_at, version)
SELECT gen_random_uuid(), 'device-check', 'SUCCEEDED', 0,
       '{"matrixSize": 64, "repeats": 5, "holdSeconds": 0}',
       jsonb_build_object('engine', 'PyTorch', 'engineVersion', '2.7.1', 'djlVersion', '0.34.0', 'device', 'cpu()',
                          'gpuCount', 0, 'matrixSize', 64, 'repeats', 5, 'millisecondsPerMultiply', 0.05 + i % 7,
                          'gflops', 10.5 + i % 13, 'interOpThreads', 2, 'availableProcessors', 2),
       1, 3, 'cpu:0', 'bench-api-load', 1, 'done',
       t, t + interval '1 second', t + interval '2 seconds', t + interval '2 seconds', 3
FROM (SELECT i, now() - interval '30 days' + i * interval '1 minute' AS t FROM generate_series(1, $JOBS) i) s;
INSERT INTO job_events (job_id, at, from_status, to_status, reason)
SELECT id, finished_at, 'RUNNING', 'SUCCEEDED', 'inserted by bench/api-load' FROM jobs WHERE worker = 'bench-api-load';
SQL
sql -c "UPDATE jobs SET status = 'RUNNING', finished_at = NULL, progress = 0.5, progress_message = 'step 500 of 1000'
        WHERE id IN (SELECT id FROM jobs WHERE worker = 'bench-api-load' ORDER BY random() LIMIT $RUNNING_JOBS)"
# what autovacuum does to a freshly inserted table soon anyway; lets the list use index-only scans
sql -c "VACUUM ANALYZE jobs" -c "VACUUM ANALYZE job_events"
export JOBS_FILE=$DATA/jobs.csv
sql -c "SELECT id || ',' || version FROM jobs WHERE worker = 'bench-api-load' AND status = 'SUCCEEDED'" >"$JOBS_FILE"
RUNNING_FILE=$DATA/running.csv
sql -c "SELECT id || ',' || version FROM jobs WHERE worker = 'bench-api-load' AND status = 'RUNNING'" >"$RUNNING_FILE"
export PAGES=$(( (JOBS + 19) / 20 ))
export IDEMPOTENCY_KEY=bench-api-load-$$

# --- sanity: what each scripted request answers ------------------------------------------------------
read -r ONE_ID ONE_VERSION < <(head -n 1 "$JOBS_FILE" | tr ',' ' ')
code() { api -s -o /dev/null -w '%{http_code}' "$@"; }
DEVICE_CHECK='{"matrixSize": 8, "repeats": 1, "holdSeconds": 0}'
post_check() { code -X POST "$BASE/api/v1/jobs/device-check" -H 'Content-Type: application/json' \
                    -H "Idempotency-Key: $IDEMPOTENCY_KEY" -d "$DEVICE_CHECK"; }
echo "sanity: status $(code "$BASE/api/v1/jobs/$ONE_ID"), status+If-None-Match $(code -H "If-None-Match: \"$ONE_VERSION\"" "$BASE/api/v1/jobs/$ONE_ID"),"\
     "list $(code "$BASE/api/v1/jobs?page=7&size=20"), first submit $(post_check), repeat $(post_check)"
# the one device check that submit created runs now, before anything is measured
CHECK_ID=$(api -fs -X POST "$BASE/api/v1/jobs/device-check" -H 'Content-Type: application/json' \
           -H "Idempotency-Key: $IDEMPOTENCY_KEY" -d "$DEVICE_CHECK" | jq -r .id)
wait_terminal() {
  local status
  while :; do
    status=$(api -fs "$BASE/api/v1/jobs/$1" | jq -r .status)
    case $status in SUCCEEDED|FAILED|CANCELLED) echo "$status"; return ;; esac
    sleep 1
  done
}
echo "device check $CHECK_ID: $(wait_terminal "$CHECK_ID")"

echo
echo "# API load: $(date -u '+%F %H:%M UTC'), $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(java -version 2>&1 | head -n 1)"
echo "# wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency (after a $WARMUP warm-up; first a $JIT_WARMUP JIT warm-up pass over all four), $JOBS stored jobs ($RUNNING_JOBS of them RUNNING); wrk shares the cores with the service"
echo
if [ "$JIT_WARMUP" != 0 ] && [ "$SKIP_ENDPOINTS" != 1 ]; then # a running service is warm: let the JIT compile every path once
  for script in job-status.lua job-status-304.lua job-list.lua submit-idempotent.lua; do
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$JIT_WARMUP" -s "bench/api-load/$script" "$BASE" >/dev/null
  done
fi
measure() { # label script
  settle
  local before after line j0 p0 j1 p1
  before=$(load1)
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "bench/api-load/$2" "$BASE" >/dev/null
  read -r j0 p0 <<<"$(cpu_ticks)"
  line=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "bench/api-load/$2" "$BASE" | grep '^RESULT')
  read -r j1 p1 <<<"$(cpu_ticks)"
  after=$(load1)
  read -r _ _ rps p50 p99 errors requests <<<"$line"
  printf '| %s | %s | %s | %s | %s | %s | %.2f | %.2f | %s | %s |\n' "$1" "$rps" "$p50" "$p99" "$errors" "$requests" \
    "$(awk -v a="$j0" -v b="$j1" -v n="$requests" 'BEGIN{print (b - a) * 10 / n}')" \
    "$(awk -v a="$p0" -v b="$p1" -v n="$requests" 'BEGIN{print (b - a) * 10 / n}')" "$before" "$after"
}
if [ "$SKIP_ENDPOINTS" != 1 ]; then
  printf '| endpoint | req/s | p50 ms | p99 ms | errors / non-2xx,3xx | requests | CPU ms/request JVM | CPU ms/request PostgreSQL | load before | load after |\n'
  printf '|---|---|---|---|---|---|---|---|---|---|\n'
  measure "(a) GET /jobs/{id}, finished jobs" job-status.lua
  JOBS_FILE=$RUNNING_FILE measure "(a') GET /jobs/{id}, running jobs" job-status.lua
  measure "(b) GET /jobs/{id} If-None-Match (304)" job-status-304.lua
  measure "(c) GET /jobs?page=N&size=20" job-list.lua
  measure "(d) POST /jobs/device-check idempotent (200)" submit-idempotent.lua
fi

[ "$SKIP_TRAIN" = 1 ] && exit 0

# --- training speed with and without the API under load ----------------------------------------------
TRAIN=$(jq -n --argjson e "$TRAIN_EPOCHS" --argjson n "$TRAIN_SUBSET" '{
  dataset: {format: "BUILTIN", name: "biased-mnist", subsetSize: $n},
  model: "small-cnn", training: {epochs: $e, batchSize: 128}}')
train() { # label, with-load (0/1) -> prints one table row, leaves the mean images/s in $MEAN
  settle
  local before after id status wrkout="$DATA/wrk-train.out" loadrow="-"
  before=$(load1)
  id=$(api -fs -X POST "$BASE/api/v1/jobs/train" -H 'Content-Type: application/json' -d "$TRAIN" | jq -r .id)
  if [ "$2" = 1 ]; then
    until [ "$(api -fs "$BASE/api/v1/jobs/$id" | jq -r .status)" != QUEUED ]; do sleep 0.2; done
    POLL_DELAY_MS=$([ "$TRAIN_POLL_RATE" = 0 ] && echo 0 || echo $((CONNECTIONS * 1000 / TRAIN_POLL_RATE))) \
      nice -n "$WRK_NICE" wrk -t"$THREADS" -c"$CONNECTIONS" -d3600s --latency -s bench/api-load/job-status.lua "$BASE" >"$wrkout" &
    WRK=$!
  fi
  status=$(wait_terminal "$id")
  if [ "$2" = 1 ]; then
    kill -INT "$WRK"; wait "$WRK" || true; WRK=""
    read -r _ _ rps p50 p99 errors _ <<<"$(grep '^RESULT' "$wrkout")"
    loadrow="$rps req/s, p50 $p50 ms, p99 $p99 ms, $errors errors"
  fi
  after=$(load1)
  [ "$status" = SUCCEEDED ] || { echo "train job $id $status"; api -fs "$BASE/api/v1/jobs/$id"; exit 1; }
  local per_epoch
  per_epoch=$(api -fs "$BASE/api/v1/jobs/$id/metrics" | jq -r '[.[] | .imagesPerSecond | floor] | map(tostring) | join(" / ")')
  MEAN=$(api -fs "$BASE/api/v1/jobs/$id/metrics" | jq '[.[] | .imagesPerSecond] | add / length')
  printf '| %s | %s | %.0f | %s | %s | %s |\n' "$1" "$per_epoch" "$MEAN" "$loadrow" "$before" "$after"
}
echo
echo "# small-cnn, biased-mnist subsetSize $TRAIN_SUBSET, $TRAIN_EPOCHS epochs, batch 128, 1 CPU worker slot; wrk at nice $WRK_NICE, aiming at $([ "$TRAIN_POLL_RATE" = 0 ] && echo "as many polls/s as it can" || echo "$TRAIN_POLL_RATE polls/s"); service JAVA_OPTS: ${JAVA_OPTS:-none}"
echo
printf '| run | images/s per epoch | mean images/s | API load during the epochs | load before | load after |\n'
printf '|---|---|---|---|---|---|\n'
train "no API load" 0; IDLE=$MEAN
train "wrk on GET /jobs/{id}" 1; LOADED=$MEAN
echo
echo "training speed under API load / idle: $(awk -v a="$LOADED" -v b="$IDLE" 'BEGIN{printf "%.3f", a / b}')"
