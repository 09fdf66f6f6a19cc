#!/usr/bin/env python3
"""gzip levels 1 and 6 on a 10,000-agent scrape, and the scrape over HTTP with and without
`Accept-Encoding: gzip` (docs/benchmarks.md, "gzip").

    python3 Benchmarks/gzip-levels.py PATH-TO-RELEASE-EXPORTER   # listens on 127.0.0.1:19957
"""
import http.client, statistics, subprocess, sys, time, zlib
exporter = subprocess.Popen([sys.argv[1], "--web.listen-address", "127.0.0.1:19957", "--storage.path", ""],
                            stderr=subprocess.PIPE, text=True)
for line in exporter.stderr:
    if "msg=ready" in line: break
connection = http.client.HTTPConnection("127.0.0.1", 19957)
epoch = int(time.time()) - 600
day = ["logged_in", "state_ready", "call_answered", "call_dead", "agent_hangup", "dispo_set", "state_paused"]
for agent in range(10_000):
    for counter, event in enumerate(day):
        message = "SALE" if event == "dispo_set" else ""
        body = f"user=agent{agent:05d}&event={event}&message={message}&counter={counter + 2}&epoch={epoch + 10 * counter}"
        connection.request("POST", "/event", body, {"Content-Type": "application/x-www-form-urlencoded"})
        connection.getresponse().read()
connection.request("GET", "/metrics")
page = connection.getresponse().read()
for level in (1, 6):
    times, size = [], 0
    for _ in range(5):
        started = time.perf_counter()
        size = len(zlib.compress(page, level, 31))  # wbits 31: gzip, as the exporter writes
        times.append(time.perf_counter() - started)
    print(f"level {level}: {statistics.median(times) * 1000:.0f} ms, {size:,} bytes")
for encoding in ("identity", "gzip"):
    times, size = [], 0
    for _ in range(5):
        started = time.perf_counter()
        connection.request("GET", "/metrics", headers={"Accept-Encoding": encoding})
        size = len(connection.getresponse().read())
        times.append(time.perf_counter() - started)
    print(f"GET /metrics, {encoding}: {statistics.median(times) * 1000:.0f} ms, {size:,} bytes")
exporter.terminate(); exporter.wait()
