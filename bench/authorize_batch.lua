-- wrk script: POST /api/v1/authorize/batch with 100 checks drawn in turn
-- from $BENCH_TRIPLES (qid=..&est_id=..&service=.. lines), as the
-- `services` session of $BENCH_BATCH_COOKIE with its $BENCH_BATCH_CSRF.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local common = dofile(here .. "authorize_common.lua")
local checks = {}
local cookie = os.getenv("BENCH_BATCH_COOKIE")
local csrf = os.getenv("BENCH_BATCH_CSRF")
local n = 0

for _, line in ipairs(common.triples()) do
  local q, e, s = line:match("qid=(%d+)&est_id=(%d+)&service=([%w_]+)")
  checks[#checks + 1] = string.format('{"qid":"%s","est_id":"%s","service":"%s"}', q, e, s)
end

common.install(#checks)

request = function()
  local items = {}
  for i = 1, 100 do
    n = n + 1
    items[i] = checks[((n + (offset or 0)) % #checks) + 1]
  end
  return wrk.format("POST", "/api/v1/authorize/batch", {
    ["Cookie"] = cookie, ["X-CSRF-Token"] = csrf,
    ["Content-Type"] = "application/json" }, '{"checks":[' .. table.concat(items, ",") .. "]}")
end
