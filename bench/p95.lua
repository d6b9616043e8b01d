-- wrk: print p95 latency (ms) and requests/s on one line; with RANDOM_PAGES set, request random list pages.
local pages = tonumber(os.getenv("RANDOM_PAGES") or "0")
math.randomseed(os.time())
request = function()
  if pages > 0 then
    return wrk.format("GET", wrk.path .. "?page=" .. math.random(1, pages) .. "&year=" .. math.random(2017, 2026))
  end
  return wrk.format("GET", wrk.path)
end
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format("RESULT requests=%d rps=%.1f p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f errors=%d\n",
    summary.requests, summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
