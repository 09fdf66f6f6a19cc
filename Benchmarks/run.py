#!/usr/bin/env python3
"""The performance table: ingest against a bare libmicrohttpd server and a Python receiver,
ingest under scrapes, scrape time and size, Python's generate_latest on the same series, and
memory. Builds the release binaries and the C baseline first, on 127.0.0.1 only.

    python3 Benchmarks/run.py [--seconds 6] [--repetitions 3]

Load: wrk -t1 -c32 replaying, with Benchmarks/push-mix.lua, the pushes vicidial-agent-sim writes
for 1,000 and 10,000 agents (logins, ready spells with a CHECK-FOR-CALL heartbeat a second,
calls, dispositions, pauses). Each figure is the median of interleaved repetitions, each on a
fresh server; every ratio is taken within this run. Prints the machine, the table (figure,
target, met or NOT met) and the time it took; exits 0 whatever is met.
"""
import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from multiprocessing import Pool

from memory import agent_pushes, push_agents
from release_exporter import ROOT, rss_bytes, start_exporter

HERE = os.path.dirname(os.path.abspath(__file__))
EXPORTER_FLAGS = ("--agent.max-clock-skew", "48h", "--agent.max-agents", "20000")


def build():
    subprocess.run(["swift", "build", "-c", "release"], cwd=ROOT, check=True)
    bin_path = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, check=True,
                              capture_output=True, text=True).stdout.strip()
    bare = os.path.join(tempfile.mkdtemp(prefix="bench-"), "bare-mhd")
    flags = subprocess.run(["pkg-config", "--cflags", "--libs", "libmicrohttpd"], check=True, capture_output=True,
                           text=True).stdout.split()
    subprocess.run(["gcc", "-O2", "-o", bare, os.path.join(HERE, "bare-mhd.c"), *flags], check=True)
    return os.path.join(bin_path, "vicidial-exporter"), os.path.join(bin_path, "vicidial-agent-sim"), bare


def write_mix(sim, agents, simulated_seconds, directory):
    path = os.path.join(directory, f"pushes-{agents}.txt")
    subprocess.run([sim, "--agents", str(agents), "--speed", "1", "--duration", f"{simulated_seconds}s",
                    "--heartbeat-interval", "1s", "--write-pushes", path],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(path) as file:
        return path, sum(1 for _ in file)


class Server:
    """A server started for one measurement: the exporter, or a baseline that prints "port N"."""

    def __init__(self, kind, exporter=None):
        self.kind = kind
        if kind in ("exporter", "exporter-in-memory"):
            storage = ("--storage.path", "") if kind == "exporter-in-memory" else ()
            self.process, self.port = start_exporter(exporter, *storage, *EXPORTER_FLAGS)
            return
        command = [sys.executable, os.path.join(HERE, "python-receiver.py")] if kind == "python" else [kind]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.port = int(self.process.stdout.readline().split()[1])

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=20)


def wrk(port, mix, seconds):
    out = subprocess.run(["wrk", "-t1", "-c32", f"-d{seconds}s", "-s", os.path.join(HERE, "push-mix.lua"),
                          f"http://127.0.0.1:{port}/", "--", mix], check=True, capture_output=True, text=True).stdout
    fields = dict(re.findall(r"(\w+)=([\d.]+)", out.strip().splitlines()[-1]))
    return {key: float(value) for key, value in fields.items()}


def cpu_seconds(pid):
    """User and system CPU time the process has used, all threads."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def scrape(port, gzip=False):
    """Client-side seconds and bytes of one GET /metrics (curl: the whole body read)."""
    headers = ["-H", "Accept-Encoding: gzip"] if gzip else []
    out = subprocess.run(["curl", "-s", "-o", "/dev/null", *headers, "-w", "%{http_code} %{time_total} %{size_download}",
                          f"http://127.0.0.1:{port}/metrics"], check=True, capture_output=True, text=True).stdout.split()
    if out[0] != "200":
        raise SystemExit(f"GET /metrics answered {out[0]}")
    return float(out[1]), int(out[2])


def metrics_text(port):
    return subprocess.run(["curl", "-s", f"http://127.0.0.1:{port}/metrics"], check=True, capture_output=True,
                          text=True).stdout


def self_metric(text, name):
    match = re.search(rf"^{name} (\S+)$", text, re.M)
    return float(match.group(1)) if match else float("nan")


def replayed_once(result, mix, lines):
    """A run that sent more pushes than the mix holds replayed some: duplicates, the cheap path."""
    if result["requests"] > lines:
        raise SystemExit(f"{result['requests']:.0f} requests from a mix of {lines} pushes ({mix}): "
                         "lengthen the mix or shorten --seconds")
    return result


def ingest_rows(exporter, bare, mix, lines, seconds, repetitions):
    """Throughput, p99 and the server's CPU per request (the steadier figure where wrk shares
    the cores), for the bare server, the exporter with and without its journal, and Python."""
    runs = {"bare": [], "exporter": [], "exporter-in-memory": [], "python": []}
    for _ in range(repetitions):
        for kind in runs:
            server = Server(bare if kind == "bare" else kind, exporter)
            try:
                cpu_before = cpu_seconds(server.process.pid)
                result = wrk(server.port, mix, seconds)
                result["cpu_us"] = (cpu_seconds(server.process.pid) - cpu_before) / result["requests"] * 1e6
                # The bare server does the same whatever it is sent; it may go round the mix.
                runs[kind].append(result if kind == "bare" else replayed_once(result, mix, lines))
            finally:
                server.stop()
    return {kind: {"rps": statistics.median(r["rps"] for r in results),
                   "p99": statistics.median(r["p99_us"] for r in results) / 1000,
                   "cpu_us": statistics.median(r["cpu_us"] for r in results),
                   "errors": sum(r["errors"] for r in results)} for kind, results in runs.items()}


def ingest_under_scrapes(exporter, mix, lines, seconds, repetitions):
    """Ingest at 10,000 agents without and with a gzip scrape every 0.5 s; keeps the last exporter."""
    runs = {False: [], True: []}
    scrape_times = []
    server = None
    for repetition in range(repetitions):
        for scraping in (False, True):
            if server:
                server.stop()
            server = Server("exporter", exporter)
            stop = threading.Event()

            def scraper(port=server.port):
                while not stop.wait(0.5):
                    scrape_times.append(scrape(port, gzip=True)[0])

            thread = threading.Thread(target=scraper)
            if scraping:
                thread.start()
            runs[scraping].append(replayed_once(wrk(server.port, mix, seconds), mix, lines))
            stop.set()
            if scraping:
                thread.join()
    result = {scraping: {"rps": statistics.median(r["rps"] for r in results),
                         "p99": statistics.median(r["p99_us"] for r in results) / 1000}
              for scraping, results in runs.items()}
    return result, scrape_times, server


def scrape_rows(server, repetitions):
    identity = [scrape(server.port) for _ in range(repetitions)]
    gzipped = [scrape(server.port, gzip=True) for _ in range(repetitions)]
    text = metrics_text(server.port)
    render = self_metric(text, "vicidial_exporter_last_scrape_duration_seconds")
    series = sum(1 for line in text.splitlines() if line and not line.startswith("#"))
    return {"time": statistics.median(t for t, _ in identity), "bytes": identity[-1][1],
            "gzip_time": statistics.median(t for t, _ in gzipped), "gzip_bytes": gzipped[-1][1],
            "render": render, "series": series, "text": text}


def python_generate_latest(text, repetitions):
    """Seconds prometheus_client's generate_latest takes for the same families and samples."""
    from prometheus_client import CollectorRegistry, generate_latest
    from prometheus_client.parser import text_string_to_metric_families

    families = list(text_string_to_metric_families(text))

    class Replay:
        def collect(self):
            return families

    registry = CollectorRegistry()
    registry.register(Replay())
    times = []
    for _ in range(repetitions):
        started = time.perf_counter()
        generate_latest(registry)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def idle_agents_rss(exporter, agents):
    """RSS growth of a fresh exporter after `agents` agents each pushed logged_in once."""
    server = Server("exporter", exporter)
    try:
        time.sleep(0.3)
        before = rss_bytes(server.process.pid)
        users = [f"idle{index:05d}" for index in range(agents)]
        jobs = [(server.port, users[sender::4], agent_pushes(0, ""), int(time.time())) for sender in range(4)]
        with Pool(4) as pool:
            if sum(pool.map(push_agents, jobs)):
                raise SystemExit("logins were refused")
        time.sleep(0.5)
        return rss_bytes(server.process.pid) - before
    finally:
        server.stop()


def scrape_loop_rss(exporter, mix, seconds, scrapes=30):
    server = Server("exporter", exporter)
    try:
        wrk(server.port, mix, seconds)
        time.sleep(1.5)
        before = rss_bytes(server.process.pid)
        size = scrape(server.port)[1]
        peak = before
        for _ in range(scrapes):
            scrape(server.port)
            peak = max(peak, rss_bytes(server.process.pid))
        time.sleep(1)
        return {"before": before, "peak": peak, "after": rss_bytes(server.process.pid), "size": size}
    finally:
        server.stop()


def machine():
    model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    memory = next((int(line.split()[1]) // 1024 for line in open("/proc/meminfo") if line.startswith("MemTotal")), 0)
    return f"{model}, {os.cpu_count()} cores, {memory} MiB, {os.uname().sysname} {os.uname().release}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=6, help="length of each wrk run")
    parser.add_argument("--repetitions", type=int, default=3)
    args = parser.parse_args()
    started = time.monotonic()
    print(f"machine: {machine()}", flush=True)
    exporter, sim, bare = build()
    directory = tempfile.mkdtemp(prefix="bench-pushes-")
    mix_1k, pushes_1k = write_mix(sim, 1_000, 2_400, directory)
    mix_10k, pushes_10k = write_mix(sim, 10_000, 300, directory)
    print(f"push mixes: {pushes_1k} pushes of 1,000 agents, {pushes_10k} of 10,000 (vicidial-agent-sim)", flush=True)

    ingest = ingest_rows(exporter, bare, mix_1k, pushes_1k, args.seconds, args.repetitions)
    under, scrape_times, loaded = ingest_under_scrapes(exporter, mix_10k, pushes_10k, args.seconds, args.repetitions)
    try:
        scraped = scrape_rows(loaded, args.repetitions)
    finally:
        loaded.stop()
    python_seconds = python_generate_latest(scraped["text"], args.repetitions)
    idle = {1_000: [], 10_000: []}
    for _ in range(args.repetitions):
        for agents in idle:
            idle[agents].append(idle_agents_rss(exporter, agents))
    slope = (statistics.median(idle[10_000]) - statistics.median(idle[1_000])) / 9_000
    loop = scrape_loop_rss(exporter, mix_10k, args.seconds)

    ours, base = ingest["exporter"], ingest["bare"]
    ratio = ours["rps"] / base["rps"]
    under_ratio = under[True]["rps"] / under[False]["rps"]
    # Rendering against rendering: generate_latest runs in process, so it is compared with our
    # render (the self-metric), not with the whole HTTP request; both are printed.
    python_ratio = python_seconds / scraped["render"]
    growth = loop["after"] - loop["before"]
    rows = [
        ("ingest, 1,000 agents, vs bare libmicrohttpd (journal on, fsync 1s)",
         f"{ratio:.0%} ({ours['rps']:,.0f} vs {base['rps']:,.0f} req/s), p99 {ours['p99']:.2f} ms "
         f"(bare {base['p99']:.2f} ms); Python receiver {ingest['python']['rps'] / ours['rps']:.1%} of ours",
         ">= 90%, p99 <= 2 ms", ratio >= 0.9 and ours["p99"] <= 2),
        ("server CPU per request in those runs (journal off: `--storage.path \"\"`)",
         f"bare {base['cpu_us']:.1f} µs; exporter {ours['cpu_us']:.1f} µs, journal off "
         f"{ingest['exporter-in-memory']['cpu_us']:.1f} µs "
         f"({ingest['exporter-in-memory']['rps'] / base['rps']:.0%} of bare's req/s); "
         f"Python {ingest['python']['cpu_us']:.0f} µs", "(no target: where the time goes)", None),
        ("ingest at 10,000 agents, /metrics (gzip) every 0.5 s",
         f"{under_ratio:.0%} of {under[False]['rps']:,.0f} req/s, p99 {under[True]['p99']:.2f} ms "
         f"(without scrapes {under[False]['p99']:.2f} ms); {len(scrape_times)} scrapes, median "
         f"{statistics.median(scrape_times) * 1000:.0f} ms" if scrape_times else "no scrape finished",
         ">= 90%, p99 <= 5 ms", under_ratio >= 0.9 and under[True]["p99"] <= 5),
        (f"/metrics for 10,000 agents ({scraped['series']:,} series, {scraped['bytes'] / 1e6:.1f} MB)",
         f"{scraped['time'] * 1000:.0f} ms (render {scraped['render'] * 1000:.0f} ms); gzip "
         f"{scraped['gzip_time'] * 1000:.0f} ms, {scraped['gzip_bytes'] / 1e6:.2f} MB "
         f"({1 - scraped['gzip_bytes'] / scraped['bytes']:.0%} saved)",
         "<= 25 ms", scraped["time"] <= 0.025),
        ("the same series through Python prometheus_client generate_latest",
         f"{python_seconds * 1000:.0f} ms: {python_ratio:.1f}x our render "
         f"({python_seconds / scraped['time']:.1f}x our whole request)", ">= 40x", python_ratio >= 40),
        ("resident memory per idle agent (slope, 1k to 10k agents, logged in once)",
         f"{slope:.0f} B", "<= 2 KiB", slope <= 2048),
        ("resident memory around 30 scrapes at 10,000 agents",
         f"{loop['before'] / 1e6:.0f} MB before, {loop['peak'] / 1e6:.0f} MB peak, {loop['after'] / 1e6:.0f} MB after; "
         f"growth {growth / 1e6:.1f} MB = {growth / loop['size']:.1f}x the {loop['size'] / 1e6:.1f} MB scrape",
         "growth <= 2x the scrape", growth <= 2 * loop["size"]),
    ]
    print(f"\n{args.repetitions} interleaved repetitions per figure, median; wrk -t1 -c32 -d{args.seconds}s\n")
    print("| what | figure | target | met |\n|---|---|---|---|")
    for what, figure, target, met in rows:
        print(f"| {what} | {figure} | {target} | {'' if met is None else 'met' if met else 'NOT met'} |")
    errors = sum(result["errors"] for result in ingest.values())
    if errors:
        print(f"\nwrk counted {errors:.0f} errors (connection errors or non-2xx answers)")
    print(f"\ntook {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
