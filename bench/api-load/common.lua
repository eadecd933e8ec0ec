-- Shared by the wrk scripts of bench/api-load: the job ids (and versions) stored by run.sh, and a
-- done() that prints one machine-readable line per run: RESULT <name> <req/s> <p50 ms> <p99 ms> <errors>.
local common = {}

-- every request carries the service's admin token (run.sh exports it; the API refuses requests without one)
local token = os.getenv("MASKTUNE_TOKEN")
if token and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end

function common.with_token(headers)
  if token and token ~= "" then
    headers["Authorization"] = "Bearer " .. token
  end
  return headers
end

function common.load_jobs(path)
  local ids, etags = {}, {}
  for line in io.lines(path) do
    local id, version = line:match("^([^,]+),(%d+)$")
    if id then
      ids[#ids + 1] = id
      etags[#etags + 1] = '"' .. version .. '"'
    end
  end
  assert(#ids > 0, "no job ids in " .. path)
  return ids, etags
end

function common.done(name)
  return function(summary, latency, requests)
    local seconds = summary.duration / 1e6
    local errors = summary.errors.connect + summary.errors.read + summary.errors.write
        + summary.errors.timeout + summary.errors.status
    io.write(string.format("RESULT %s %.0f %.2f %.2f %d %d\n", name, summary.requests / seconds,
        latency:percentile(50) / 1000, latency:percentile(99) / 1000, errors, summary.requests))
  end
end

return common
