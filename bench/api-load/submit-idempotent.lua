-- (d) POST /api/v1/jobs/device-check with one fixed Idempotency-Key and body: after the first
-- request, every one returns the existing job with 200. matrixSize 8 and holdSeconds 0 keep that
-- one job from occupying the worker.
package.path = "bench/api-load/?.lua;" .. package.path
local common = require("common")

wrk.method = "POST"
wrk.path = "/api/v1/jobs/device-check"
wrk.body = '{"matrixSize": 8, "repeats": 1, "holdSeconds": 0}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Idempotency-Key"] = os.getenv("IDEMPOTENCY_KEY") or "bench-api-load"

done = common.done("submit-idempotent")
