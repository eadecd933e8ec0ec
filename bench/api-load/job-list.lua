-- (c) GET /api/v1/jobs?page=N&size=20 over random pages of the stored jobs (newest first).
package.path = "bench/api-load/?.lua;" .. package.path
local common = require("common")
local pages = tonumber(os.getenv("PAGES") or "500")

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
end

request = function()
  return wrk.format("GET", "/api/v1/jobs?page=" .. math.random(0, pages - 1) .. "&size=20")
end

done = common.done("list")
