"""The release exporter for the benchmarks: built once, started fresh per measurement."""
import os
import re
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

def release_binary(binary=None):
    """`binary`, or the release build of this checkout (built if needed)."""
    if binary is not None:
        return binary
    subprocess.run(["swift", "build", "-c", "release", "--product", "vicidial-exporter"], cwd=ROOT, check=True)
    bin_path = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, check=True,
                              capture_output=True, text=True).stdout.strip()
    return os.path.join(bin_path, "vicidial-exporter")

def start_exporter(binary, *flags, log=None):
    """Starts the exporter on 127.0.0.1 with a kernel-chosen port and, unless `flags` name one,
    a fresh temporary storage directory; returns (process, port) once it has logged `ready`.
    The start-up log lines are appended to `log` when given."""
    if "--storage.path" not in flags:
        flags = ("--storage.path", tempfile.mkdtemp(prefix="vicidial-exporter-bench-"), *flags)
    process = subprocess.Popen([binary, "--web.listen-address", "127.0.0.1:0", *flags],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 600
    port = None
    while time.time() < deadline:
        line = process.stdout.readline()
        if log is not None:
            log.append(line)
        match = re.search(r"msg=listening .*port=(\d+)", line)
        if match:
            port = int(match.group(1))
        if port is not None and "msg=ready" in line:
            return process, port
        if not line and process.poll() is not None:
            break
    process.kill()
    raise SystemExit("the exporter did not start")

def rss_bytes(pid):
    """The process's resident memory (VmRSS) in bytes."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0
