-- wrk script for bench/search.sh: each request asks another search from bench/search_queries.txt
-- (so no two requests in a row are the same page), reported like wrk_report.lua.

dofile("bench/wrk_report.lua")

local paths = {}
for line in io.lines("bench/search_queries.txt") do
  if line ~= "" and line:sub(1, 1) ~= "#" then
    table.insert(paths, "/sok/?q=" .. line)
  end
end

local report_setup = setup
local report_init = init
local threads_made = 0
local counter = 0

function setup(thread)
  report_setup(thread)
  threads_made = threads_made + 1
  thread:set("offset", threads_made * 7)
end

function init(args)
  report_init(args)
  -- Threads start at different places in the list.
  counter = offset % #paths
end

function request()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end
