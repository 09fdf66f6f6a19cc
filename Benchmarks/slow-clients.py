#!/usr/bin/env python3
"""How long a scrape waits while slow clients hold connections, for the release exporter.

Each scenario starts a fresh exporter on 127.0.0.1 with its default connection flags, opens the
slow connections (each sends an unfinished request header, then nothing), and times a scrape
(GET /metrics) from 127.0.0.1. 3 interleaved repetitions, median. The baseline, measured in the
same run, is the scrape with no slow client.

    python3 Benchmarks/slow-clients.py [--binary PATH]
"""
import argparse
import socket
import statistics
import time

from release_exporter import release_binary, start_exporter

SCENARIOS = [
    ("no slow client (baseline)", []),
    ("400 slow from 127.0.0.2", [("127.0.0.2", 400)]),
    ("800 slow from 127.0.0.2-9 (100 each)", [(f"127.0.0.{host}", 100) for host in range(2, 10)]),
    ("400 slow from 127.0.0.1, the scraper's own address", [("127.0.0.1", 400)]),
]

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

def run(binary, sources):
    process, port = start_exporter(binary)
    slow = []
    try:
        for source, count in sources:
            for _ in range(count):
                conn = socket.socket()
                conn.bind((source, 0))
                conn.connect(("127.0.0.1", port))
                conn.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n")
                slow.append(conn)
        return timed_scrape(port)
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
    results = {name: [] for name, _ in SCENARIOS}
    for _ in range(3):
        for name, sources in SCENARIOS:
            results[name].append(run(binary, sources))
    baseline = statistics.median(results[SCENARIOS[0][0]])
    print(f"exporter: {binary}\n3 interleaved runs, median; a scrape that got no answer within 30 s shows as inf\n")
    print("| scenario | scrape answered after | vs baseline |\n|---|---|---|")
    for name, _ in SCENARIOS:
        median = statistics.median(results[name])
        print(f"| {name} | {median * 1000:.1f} ms | {median / baseline:.1f}x |")

if __name__ == "__main__":
    main()
