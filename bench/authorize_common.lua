-- What bench/authorize.lua and bench/authorize_batch.lua (wrk scripts)
-- share: the (qid, est_id, service) query strings of $BENCH_TRIPLES, one a
-- line; each thread's starting offset into them; and the check of every
-- response (any status but 200 stops the thread, said on stderr).
local common = {}

function common.triples()
  local t = {}
  for line in io.lines(os.getenv("BENCH_TRIPLES")) do
    t[#t + 1] = line
  end
  return t
end

-- wrk's setup and response, for a script drawing from count entries.
function common.install(count)
  -- A random start per thread, so the threads do not ask the same in step.
  setup = function(thread)
    thread:set("offset", math.random(count))
  end
  response = function(status, headers, body)
    if status ~= 200 then
      wrk.thread:stop()
      io.stderr:write("unexpected status " .. status .. "\n")
    end
  end
end

return common
