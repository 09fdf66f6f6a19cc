-- wrk script: replays the pushes vicidial-agent-sim --write-pushes wrote, in order. Past the end
-- it starts again; against the exporter those repeats are duplicates (the cheap path), so
-- Benchmarks/run.py refuses a run that sent more requests than the file has lines.
--   wrk -t1 -c32 -d6s -s Benchmarks/push-mix.lua http://127.0.0.1:PORT/ -- FILE
-- done() prints one line: "requests=N seconds=S rps=R p50_us=A p99_us=B errors=E" (errors include
-- non-2xx answers; no response() hook, which would make wrk itself the bottleneck).
local requests = {}
local next_index = 1

function init(args)
  for line in io.lines(args[1]) do
    -- The file writes each CR LF as the four characters \r\n (Lua patterns escape with %).
    requests[#requests + 1] = line:gsub("\\r\\n", "\r\n")
  end
end

function request()
  local r = requests[next_index]
  next_index = next_index + 1
  if next_index > #requests then next_index = 1 end
  return r
end

function done(summary, latency, requests_)
  local seconds = summary.duration / 1e6
  io.write(string.format("requests=%d seconds=%.3f rps=%.1f p50_us=%d p99_us=%d errors=%d\n",
    summary.requests, seconds, summary.requests / seconds, latency:percentile(50), latency:percentile(99),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout))
end
