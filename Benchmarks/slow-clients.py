#!/usr/bin/env python3
"""How long a scrape waits while slow clients hold connections, for the release exporter.

Each scenario starts a fresh exporter on 127.0.0.1 with its default connection flags and 3,000
agents logged in (a 4 MB /metrics page), opens the slow connections, and times a scrape
(GET /metrics, until its header arrives) from 127.0.0.1; it also reads the exporter's RSS then.
Slow writers send an unfinished request header, then nothing; slow readers ask for /metrics
with a 4 KiB receive buffer and never read. 3 interleaved repetitions, median. The baseline,
measured in the same run, is the scrape with no slow client.

    python3 Benchmarks/slow-clients.py [--binary PATH]
"""
import argparse
import socket
import statistics
import time

from release_exporter import release_binary, rss_bytes, start_exporter

AGENTS = 3000
SLOW_WRITER = b"GET /metrics HTTP/1.1\r\nHost: x\r\n"
SLOW_READER = b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"

SCENARIOS = [
    ("no slow client (baseline)", [], SLOW_WRITER),
    ("400 slow writers from 127.0.0.2", [("127.0.0.2", 400)], SLOW_WRITER),
    ("800 slow writers from 127.0.0.2-9 (100 each)", [(f"127.0.0.{host}", 100) for host in range(2, 10)], SLOW_WRITER),
    ("400 slow writers from 127.0.0.1, the scraper's own address", [("127.0.0.1", 400)], SLOW_WRITER),
    ("512 slow readers of /metrics from 127.0.0.2-3", [("127.0.0.2", 256), ("127.0.0.3", 256)], SLOW_READER),
]

def log_in_agents(port):
    conn = socket.create_connection(("127.0.0.1", port))
    pending = b""
    for agent in range(AGENTS):
        conn.sendall(f"GET /event?user=a{agent}&event=logged_in&counter=0 HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        while pending.count(b"\r\n\r\n") == 0 or not pending.split(b"\r\n\r\n", 1)[1].startswith(b"accepted"):
            pending += conn.recv(65536)
        pending = pending.split(b"accepted\n", 1)[1]
    conn.close()

def timed_scrape(port, timeout=30.0):
    started = time.time()
    try:
        conn = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        conn.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
        received = b""
        while b"\r\n\r\n" not in received:
            chunk = conn.recv(65536)
            if not chunk:
                return float("inf")
            received += chunk
        conn.close()
        return time.time() - started if received.startswith(b"HTTP/1.1 200") else float("inf")
    except OSError:
        return float("inf")

def run(binary, sources, request):
    process, port = start_exporter(binary)
    slow = []
    try:
        log_in_agents(port)
        for source, count in sources:
            for _ in range(count):
                conn = socket.socket()
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                conn.bind((source, 0))
                conn.connect(("127.0.0.1", port))
                conn.sendall(request)
                slow.append(conn)
        time.sleep(1)
        seconds = timed_scrape(port)
        return seconds, rss_bytes(process.pid)
    finally:
        for conn in slow:
            conn.close()
        process.terminate()
        process.wait(timeout=10)

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=None)
    args = parser.parse_args()
    binary = release_binary(args.binary)
    results = {name: [] for name, _, _ in SCENARIOS}
    for _ in range(3):
        for name, sources, request in SCENARIOS:
            results[name].append(run(binary, sources, request))
    baseline = statistics.median(seconds for seconds, _ in results[SCENARIOS[0][0]])
    print(f"exporter: {binary}\n{AGENTS} agents logged in; 3 interleaved runs, median; "
          f"a scrape that got no answer within 30 s shows as inf\n")
    print("| scenario | scrape answered after | vs baseline | exporter RSS |\n|---|---|---|---|")
    for name, _, _ in SCENARIOS:
        seconds = statistics.median(seconds for seconds, _ in results[name])
        rss = statistics.median(rss for _, rss in results[name])
        print(f"| {name} | {seconds * 1000:.1f} ms | {seconds / baseline:.1f}x | {rss / 2**20:.0f} MiB |")

if __name__ == "__main__":
    main()
