-- wrk: GET /task?page_size=20 (the requester's newest tasks, of 100,000).
wrk.headers["x-remote-user"] = "bench"

done = function(summary, latency, requests)
  io.write(string.format("RESULT,%.1f,%.2f,%d,%d\n",
                         summary.requests / (summary.duration / 1e6),
                         latency:percentile(99) / 1000.0,
                         summary.requests,
                         summary.errors.status + summary.errors.connect + summary.errors.read +
                           summary.errors.write + summary.errors.timeout))
end
