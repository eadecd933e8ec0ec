-- (b) GET /api/v1/jobs/{id} with the job's current ETag as If-None-Match: 304 Not Modified.
package.path = "bench/api-load/?.lua;" .. package.path
local common = require("common")
local ids, etags = common.load_jobs(os.getenv("JOBS_FILE"))

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
end

request = function()
  local i = math.random(#ids)
  return wrk.format("GET", "/api/v1/jobs/" .. ids[i], common.with_token({ ["If-None-Match"] = etags[i] }))
end

done = common.done("status-304")
