-- wrk script for the uncached coordinator lookup (bench/measure.py): every request asks
-- for a place no earlier request asked for (a counter in the query string), so no page
-- cache can answer and the view runs each time. The places are a mix of what people type:
-- municipalities, codes, postal codes, postal towns, counties, regions and misspellings.
-- Reports like wrk_report.lua: one JSON line.

local places = {
  "Mal%C3%A5", "2418", "621%2041", "Visby", "J%C3%A4mtland", "Sk%C3%A5ne", "Region%20V%C3%A4st",
  "Vasby", "G%C3%B6teborg", "G%C3%B6tebrog", "Farsta", "114%2055", "Kiruna", "Halmsatd",
  "V%C3%A4ster%C3%A5s", "Dalarna", "1480", "Lund", "%C3%96stersund", "xyz",
}
local threads = {}
local path = "/"

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  non2xx = 0
  counter = 0
  path = args[1] or wrk.path
  wrk.headers["X-Forwarded-Proto"] = "https"
end

function request()
  counter = counter + 1
  local place = places[(counter % #places) + 1]
  return wrk.format("GET", path .. "?kommun=" .. place .. "&n=" .. id .. "-" .. counter)
end

function response(status, headers, body)
  -- An unknown place is a 404 (JSON) or a 200 page with the error: both are answers.
  if status >= 500 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non2xx")
  end
  local errors = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "non2xx": %d, ' ..
    '"socket_errors": %d, "p50_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, bad,
    errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50), latency:percentile(99), latency.max
  ))
end
