-- wrk's summary as one JSON line for bench/load.py (latencies in microseconds).
done = function(summary, latency, requests)
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "errors_status": %d, "errors_timeout": %d, "errors_connect": %d, ' ..
    '"errors_read": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, summary.errors.status, summary.errors.timeout,
    summary.errors.connect, summary.errors.read))
end
