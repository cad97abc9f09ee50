-- wrk script: the SMS stand-in's own ceiling (issue 14 §3): POSTs as
-- rb-notifier sends them, each with a client_ref of its own (a repeated
-- one would be refused), bearer token from $RB_SMS_TOKEN.
local token = os.getenv("RB_SMS_TOKEN")
local started, n = 0, 0

function setup(thread)
  thread:set("tid", started)
  started = started + 1
end

request = function()
  n = n + 1
  local body = string.format('{"to": "+97455000000", "text": "MOI: ceiling %d",'
    .. ' "client_ref": "bench-ceiling-%d-%d"}', n, tid, n)
  return wrk.format("POST", "/v1/messages", { ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token }, body)
end

response = function(status)
  if status ~= 202 then io.stderr:write("unexpected status " .. status .. "\n"); wrk.thread:stop() end
end
