-- wrk script: authorization checks over a list of (qid, est_id, service)
-- query strings, one per line in $BENCH_TRIPLES, with the session cookie
-- of a `services` account in $BENCH_COOKIE.
local triples = {}
local cookie = os.getenv("BENCH_COOKIE")
-- Appended to every query, e.g. "&consistency=fully_consistent".
local extra = os.getenv("BENCH_QUERY_EXTRA") or ""
local n = 0

for line in io.lines(os.getenv("BENCH_TRIPLES")) do
  triples[#triples + 1] = line
end

function setup(thread)
  thread:set("offset", math.random(#triples))
end

request = function()
  n = n + 1
  local q = triples[((n + (offset or 0)) % #triples) + 1]
  return wrk.format("GET", "/api/v1/authorize?" .. q .. extra, { ["Cookie"] = cookie })
end

response = function(status, headers, body)
  if status ~= 200 then
    wrk.thread:stop()
    io.stderr:write("unexpected status " .. status .. "\n")
  end
end
