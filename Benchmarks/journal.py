#!/usr/bin/env python3
"""What the journal costs and what it buys, on the release exporter (docs/reliability.md).

1. Ingest: wrk (-t1 -c32, 127.0.0.1) replays a realistic agent-screen push mix for 1,000
   agents (CHECK-FOR-CALL heartbeats most of it; pauses, calls, hang-ups, dispositions) with the
   journal off (baseline, measured in the same run), with the default --storage.fsync (1s) and
   with --storage.fsync=always. 3 interleaved repetitions, medians; throughput as a ratio of the
   baseline, p99 latency from wrk.
2. Recovery: --replay-seconds of full-speed pushes for 3,000 agents into a journal (no
   snapshot, killed with SIGKILL), then a restart: records replayed per second, as logged.
3. Disk: --disk-seconds of full-speed ingest for 3,000 agents with snapshots every
   --disk-interval seconds (a 3,000-agent center's 5 minutes of pushes at its busiest, compressed);
   the storage directory's size sampled every second against the bytes written to the journal.

    python3 Benchmarks/journal.py [--seconds 10] [--replay-seconds 30] [--disk-seconds 240] [--disk-interval 36] [--binary PATH]

Needs wrk (apt-get install wrk). Exits 1 when a target of the issue is not met.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

from release_exporter import release_binary, start_exporter

TARGET_RATIO = 0.80      # default fsync policy against the journal off
TARGET_P99_MS = 2.0

MIX_LUA = r"""
-- The push mix, generated as wrk asks for requests: agents take turns, one push each; per
-- agent a login, then READY with CHECK-FOR-CALL heartbeats most of the time, and in each
-- minute of its own a pause, a call with hang-up and disposition, and READY again. (wrk calls
-- request() once before the run to probe the script, so the first login is never sent.)
local agents, start_epoch = %d, %d
local counters, turn, step = {}, 0, 0
local scripted = {
  [10] = {{"state_paused", "PAUSED"}}, [12] = {{"state_ready", "READY"}}, [30] = {{"call_answered", "M1"}},
  [40] = {{"agent_hangup", ""}, {"dispo_screen_open", ""}}, [41] = {{"dispo_set", "SALE"}}, [42] = {{"state_ready", "READY"}},
}
local heartbeat = {{"agent_alert", "CHECK-FOR-CALL+COMPLETE%%3A+881"}}
local queue = {}
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
request = function()
  if #queue == 0 then
    turn = turn + 1
    if turn > agents then turn, step = 1, step + 1 end
    local counter = counters[turn]
    if counter == nil then
      queue = {{"logged_in", ""}, {"state_ready", "READY"}}
      counters[turn] = 0
    else
      queue = scripted[(step + turn) %% 60] or heartbeat
    end
    local copy = {}
    for i = #queue, 1, -1 do copy[#copy + 1] = queue[i] end
    queue = copy
  end
  local event = table.remove(queue)
  local counter = counters[turn]
  counters[turn] = counter + 1
  local body = string.format("user=b%%05d&event=%%s&message=%%s&lead_id=&counter=%%d&epoch=%%d&agent_log_id=881",
    turn, event[1], event[2], counter, start_epoch + step)
  return wrk.format(nil, "/event", nil, body)
end
"""

def wrk_script(agents, start_epoch, directory):
    path = os.path.join(directory, f"mix-{agents}.lua")
    with open(path, "w") as script:
        script.write(MIX_LUA % (agents, start_epoch))
    return path

def run_wrk(port, script, seconds, connections=32):
    out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script,
                          f"http://127.0.0.1:{port}/event"], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rate, float(p99.group(1)) * scale, int(non2xx.group(1)) if non2xx else 0

def ingest(binary, script, seconds, storage_flags):
    directory = tempfile.mkdtemp(prefix="vicidial-journal-bench-")
    flags = ["--agent.max-clock-skew", "48h", "--storage.path", storage_flags.get("path", directory)]
    if "fsync" in storage_flags:
        flags += ["--storage.fsync", storage_flags["fsync"]]
    process, port = start_exporter(binary, *flags)
    try:
        return run_wrk(port, script, seconds)
    finally:
        process.terminate()
        process.wait()
        subprocess.run(["rm", "-rf", directory])

def directory_bytes(path):
    total = 0
    for name in os.listdir(path):
        try:
            total += os.path.getsize(os.path.join(path, name))
        except FileNotFoundError:
            pass
    return total

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--replay-seconds", type=int, default=30)
    parser.add_argument("--disk-seconds", type=int, default=240)
    parser.add_argument("--disk-interval", type=int, default=36)
    parser.add_argument("--binary")
    args = parser.parse_args()
    binary = release_binary(args.binary)
    work = tempfile.mkdtemp(prefix="vicidial-journal-bench-")
    start_epoch = int(time.time()) - 36_000
    failed = False

    # 1. Ingest with the journal off, with the default policy, with always.
    script = wrk_script(1_000, start_epoch, work)
    settings = [("journal off (baseline)", {"path": ""}), ("journal, --storage.fsync=1s (default)", {}),
                ("journal, --storage.fsync=always", {"fsync": "always"})]
    results = {name: [] for name, _ in settings}
    for _ in range(3):
        for name, flags in settings:
            results[name].append(ingest(binary, script, args.seconds, flags))
    baseline = statistics.median(rate for rate, _, _ in results[settings[0][0]])
    print(f"ingest, 1,000 agents, wrk -t1 -c32, {args.seconds} s x 3 interleaved, medians")
    print(f"{'setting':42} {'req/s':>9} {'ratio':>6} {'p99 ms':>7} {'non-2xx':>8}")
    for name, _ in settings:
        rate = statistics.median(r for r, _, _ in results[name])
        p99 = statistics.median(p for _, p, _ in results[name])
        errors = sum(e for _, _, e in results[name])
        print(f"{name:42} {rate:9.0f} {rate / baseline:6.2f} {p99:7.2f} {errors:8d}")
        if errors:
            failed = True
        if name == settings[1][0] and (rate / baseline < TARGET_RATIO or p99 > TARGET_P99_MS):
            print(f"  target not met: ratio >= {TARGET_RATIO}, p99 <= {TARGET_P99_MS} ms")
            failed = True

    # 2. Recovery: a 3,000-agent journal with no snapshot, replayed at the next start.
    storage = os.path.join(work, "replay")
    replay_script = wrk_script(3_000, start_epoch, work)
    process, port = start_exporter(binary, "--agent.max-clock-skew", "48h", "--storage.path", storage,
                                   "--storage.snapshot-interval", "1000h")
    run_wrk(port, replay_script, args.replay_seconds)
    process.kill()  # no snapshot at exit: the whole journal is replayed
    process.wait()
    journal_bytes = directory_bytes(storage)
    log = []
    process, port = start_exporter(binary, "--agent.max-clock-skew", "48h", "--storage.path", storage, log=log)
    recovered = next(line for line in log if "recovered from storage" in line)
    records = int(re.search(r"records_replayed=(\d+)", recovered).group(1))
    seconds = float(re.search(r"seconds=([\d.e-]+)", recovered).group(1))
    agents = int(re.search(r"agents=(\d+)", recovered).group(1))
    process.terminate()  # a clean stop writes a snapshot of the 3,000 agents...
    stopped = process.stdout.read()
    process.wait()
    snapshot_bytes = int(re.search(r"snapshot_bytes=(\d+)", stopped).group(1))
    snapshot_seconds = float(re.search(r"snapshot_seconds=([\d.e-]+)", stopped).group(1))
    log = []
    process, port = start_exporter(binary, "--agent.max-clock-skew", "48h", "--storage.path", storage, log=log)
    loaded = next(line for line in log if "recovered from storage" in line)  # ...which the next start loads
    load_seconds = float(re.search(r"seconds=([\d.e-]+)", loaded).group(1))
    process.terminate()
    process.wait()
    print(f"\nrecovery: {records:,} records ({journal_bytes / 1e6:.0f} MB of journal, {agents:,} agents) replayed in "
          f"{seconds:.2f} s: {records / seconds:,.0f} records/s")
    print(f"snapshot of {agents:,} agents: {snapshot_bytes / 1e6:.1f} MB, written in {snapshot_seconds:.2f} s, "
          f"loaded at the next start in {load_seconds:.2f} s")

    # 3. Disk use: a 3,000-agent center at its busiest (every agent READY, a push a second each:
    # 3,000 pushes/s) with 5-minute snapshots is 900,000 pushes per snapshot interval. Here the
    # same pushes per interval arrive faster, so the interval shrinks by the same factor
    # (--disk-interval); the directory must level off after two intervals and stay there.
    storage = os.path.join(work, "disk")
    process, port = start_exporter(binary, "--agent.max-clock-skew", "48h", "--storage.path", storage,
                                   "--storage.snapshot-interval", f"{args.disk_interval}s")
    load = subprocess.Popen(["wrk", "-t1", "-c32", f"-d{args.disk_seconds}s", "-s", replay_script,
                             f"http://127.0.0.1:{port}/event"], stdout=subprocess.PIPE, text=True)
    samples = []
    while load.poll() is None:
        time.sleep(1)
        samples.append(directory_bytes(storage))
    pushes = int(re.search(r"(\d+) requests in", load.stdout.read()).group(1))
    metrics = subprocess.run(["curl", "-s", f"http://127.0.0.1:{port}/metrics"], capture_output=True, text=True).stdout
    journal_written = float(re.search(r"^vicidial_exporter_journal_bytes_written_total (\S+)", metrics, re.M).group(1))
    snapshot = float(re.search(r"^vicidial_exporter_snapshot_size_bytes (\S+)", metrics, re.M).group(1))
    snapshot_seconds = float(re.search(r"^vicidial_exporter_snapshot_duration_seconds (\S+)", metrics, re.M).group(1))
    snapshots = float(re.search(r"^vicidial_exporter_snapshots_written_total (\S+)", metrics, re.M).group(1))
    process.terminate()
    process.wait()
    rate = pushes / args.disk_seconds
    per_interval = rate * args.disk_interval
    later = samples[len(samples) // 2:]
    print(f"\ndisk: 3,000 agents, {args.disk_seconds} s at {rate:,.0f} pushes/s, snapshots every {args.disk_interval} s "
          f"({per_interval:,.0f} pushes per interval; a 3,000-agent center at its busiest sends 900,000 in 5 min)")
    print(f"  {journal_written / 1e6:,.0f} MB written to the journal ({journal_written / pushes:.0f} bytes per push), "
          f"{snapshots:.0f} snapshots of {snapshot / 1e6:.1f} MB ({snapshot_seconds:.2f} s each)")
    print(f"  storage directory: at most {max(samples) / 1e6:.1f} MB; over the second half "
          f"{min(later) / 1e6:.1f}-{max(later) / 1e6:.1f} MB; at the end {samples[-1] / 1e6:.1f} MB")
    print("  per second: " + " ".join(f"{sample / 1e6:.0f}" for sample in samples))
    subprocess.run(["rm", "-rf", work])
    sys.exit(1 if failed else 0)

if __name__ == "__main__":
    main()
