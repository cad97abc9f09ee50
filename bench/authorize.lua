-- wrk script: authorization checks over a list of (qid, est_id, service)
-- query strings, one per line in $BENCH_TRIPLES, with the session cookie
-- of a `services` account in $BENCH_COOKIE.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local common = dofile(here .. "authorize_common.lua")
local triples = common.triples()
local cookie = os.getenv("BENCH_COOKIE")
-- Appended to every query, e.g. "&consistency=fully_consistent".
local extra = os.getenv("BENCH_QUERY_EXTRA") or ""
local n = 0

common.install(#triples)

request = function()
  n = n + 1
  local q = triples[((n + (offset or 0)) % #triples) + 1]
  return wrk.format("GET", "/api/v1/authorize?" .. q .. extra, { ["Cookie"] = cookie })
end
