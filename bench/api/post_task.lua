-- wrk: POST /task of the bench template, each with its own input.
local counter = 0
request = function()
  counter = counter + 1
  local body = '{"template_name":"bench-task","input":{"num":"' .. counter .. '"}}'
  return wrk.format("POST", "/task", {["Content-Type"] = "application/json",
                                      ["x-remote-user"] = "bench"}, body)
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT,%.1f,%.2f,%d,%d\n",
                         summary.requests / (summary.duration / 1e6),
                         latency:percentile(99) / 1000.0,
                         summary.requests,
                         summary.errors.status + summary.errors.connect + summary.errors.read +
                           summary.errors.write + summary.errors.timeout))
end
