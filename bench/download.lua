-- wrk script: statement downloads right after the cycle (issue 14 §2),
-- each statement of $BENCH_DOWNLOADS (one path a line, shuffled) asked for
-- once, most of them never rendered before, with a reviewer's cookie in
-- $BENCH_COOKIE. Thread t of n takes every n-th path from the t-th, and
-- stops when its share is done.
local paths = {}
local cookie = os.getenv("BENCH_COOKIE")
local threads, started = tonumber(os.getenv("BENCH_THREADS") or "2"), 0
local n = 0

for line in io.lines(os.getenv("BENCH_DOWNLOADS")) do
  paths[#paths + 1] = line
end

function setup(thread)
  thread:set("index", started)
  started = started + 1
end

request = function()
  local i = index + n * threads + 1
  n = n + 1
  if i > #paths then
    wrk.thread:stop()
    i = #paths
  end
  return wrk.format("GET", paths[i], { ["Cookie"] = cookie })
end

response = function(status)
  if status ~= 200 then io.stderr:write("unexpected status " .. status .. "\n"); wrk.thread:stop() end
end
