-- (a) GET /api/v1/jobs/{id} over random ids of the stored jobs, no If-None-Match: 200 with the job.
package.path = "bench/api-load/?.lua;" .. package.path
local common = require("common")
local ids = common.load_jobs(os.getenv("JOBS_FILE"))

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
end

-- POLL_DELAY_MS > 0: each connection pauses that long before each request (a fixed poll rate, not a flood)
local pause = tonumber(os.getenv("POLL_DELAY_MS") or "0")
if pause > 0 then
  delay = function()
    return pause
  end
end

request = function()
  return wrk.format("GET", "/api/v1/jobs/" .. ids[math.random(#ids)])
end

done = common.done("status")
