#!/usr/bin/env python3
"""Resident memory per agent of the release exporter, and whether it depends on message size.

Each scenario runs in a fresh exporter on 127.0.0.1, is repeated 3 times (interleaved) and
reported as its median. The baseline, measured in the same run, is the same push stream with
1-byte messages; the figure checked against the bound of docs/reliability.md is the stream with
1 KiB messages and a counter gap in every agent's pushes, so that each agent holds its maximum
of reordered events for a while.

    python3 Benchmarks/memory.py [--agents 5000] [--pushes 40] [--binary PATH]

Prints a table and exits 1 when a bound is not met.
"""
import argparse
import re
import socket
import statistics
import sys
import time

from release_exporter import release_binary, rss_bytes, start_exporter
from multiprocessing import Pool

BOUND_BYTES_PER_AGENT = 4096   # docs/reliability.md: memory per agent, whatever the messages
BOUND_RATIO_LONG_TO_SHORT = 1.25
BOUND_BYTES_PER_AGENT_EVERY_LABEL = 49152  # an agent with all 256 statuses and 64 unknown names, and its
# share of the page buffers kept for the next scrape (about 70 bytes per series: some 330 series)

def request(body):
    return (f"POST /event HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n\r\n{body}").encode()

def read_response(conn, pending):
    while b"\r\n\r\n" not in pending:
        pending += conn.recv(65536)
    head, _, rest = pending.partition(b"\r\n\r\n")
    length = int(re.search(rb"Content-Length: (\d+)", head, re.I).group(1))
    while len(rest) < length:
        rest += conn.recv(65536)
    status = int(head.split(b" ")[1])
    return status, rest[length:]

def agent_pushes(pushes, message):
    """(event, message) per counter: logged_in, then agent_alerts; counter 1 is never sent."""
    return [(None if counter == 1 else ("logged_in" if counter == 0 else "agent_alert", message))
            for counter in range(pushes + 1)]

def every_label_pushes():
    """Every status and unknown event name the default caps admit (256 and 64), in one agent."""
    return ([("logged_in", "")] + [("dispo_set", f"S{index}") for index in range(256)]
            + [(f"new_event_{index}", "") for index in range(64)])

def push_agents(job):
    port, agents, pushes, epoch = job
    conn = socket.create_connection(("127.0.0.1", port))
    pending = b""
    failures = 0
    for user in agents:
        for counter, push in enumerate(pushes):
            if push is None:
                continue  # never sent: the next pushes wait for it
            event, message = push
            body = (f"user={user}&event={event}&message={message}&lead_id=&counter={counter}"
                    f"&epoch={epoch}&agent_log_id=881")
            conn.sendall(request(body))
            status, pending = read_response(conn, pending)
            failures += status != 200
    conn.close()
    return failures

def measure(binary, agents, pushes, senders=4):
    process, port = start_exporter(binary, "--agent.max-clock-skew", "48h")
    try:
        time.sleep(0.3)
        before = rss_bytes(process.pid)
        users = [f"a{index}" for index in range(agents)]
        jobs = [(port, users[sender::senders], pushes, int(time.time())) for sender in range(senders)]
        with Pool(senders) as pool:
            failures = sum(pool.map(push_agents, jobs))
        if failures:
            raise SystemExit(f"{failures} pushes were not accepted")
        time.sleep(1.5)  # held events' window passes
        conn = socket.create_connection(("127.0.0.1", port))
        conn.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
        read_response(conn, b"")
        conn.close()
        return (rss_bytes(process.pid) - before) / agents
    finally:
        process.terminate()
        process.wait(timeout=10)

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agents", type=int, default=5000)
    parser.add_argument("--pushes", type=int, default=40)
    parser.add_argument("--binary", default=None)
    args = parser.parse_args()
    binary = release_binary(args.binary)

    scenarios = [
        ("idle: logged in once", args.agents, agent_pushes(0, "")),
        ("1-byte messages (baseline)", args.agents, agent_pushes(args.pushes, "m")),
        ("1 KiB messages", args.agents, agent_pushes(args.pushes, "m" * 1024)),
        (f"every status and event name the caps admit ({args.agents // 10} agents)", args.agents // 10,
         every_label_pushes()),
    ]
    results = {name: [] for name, _, _ in scenarios}
    for _ in range(3):  # interleaved repetitions
        for name, agents, pushes in scenarios:
            results[name].append(measure(binary, agents, pushes))
    median = {name: statistics.median(values) for name, values in results.items()}
    baseline = median["1-byte messages (baseline)"]
    print(f"exporter: {binary}\nagents: {args.agents}, pushes per agent: {args.pushes} (a counter gap in each), "
          f"3 interleaved runs, median\n")
    print(f"| scenario | RSS per agent | vs baseline |\n|---|---|---|")
    for name, _, _ in scenarios:
        print(f"| {name} | {median[name]:.0f} B | {median[name] / baseline:.2f} |")
    long_messages = median["1 KiB messages"]
    every_label = median[scenarios[3][0]]
    checks = [
        (f"RSS per agent with 1 KiB messages <= {BOUND_BYTES_PER_AGENT} B", long_messages <= BOUND_BYTES_PER_AGENT),
        (f"1 KiB / 1-byte messages <= {BOUND_RATIO_LONG_TO_SHORT}", long_messages / baseline <= BOUND_RATIO_LONG_TO_SHORT),
        (f"RSS per agent with every label value <= {BOUND_BYTES_PER_AGENT_EVERY_LABEL} B",
         every_label <= BOUND_BYTES_PER_AGENT_EVERY_LABEL),
    ]
    print()
    for text, met in checks:
        print(f"{'met' if met else 'NOT MET'}: {text}")
    sys.exit(0 if all(met for _, met in checks) else 1)

if __name__ == "__main__":
    main()
