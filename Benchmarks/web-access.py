#!/usr/bin/env python3
"""What --web.config.file costs a request, for the release exporter.

Each scenario starts a fresh exporter on 127.0.0.1 (persistence off) and times requests to
/-/healthy, the cheapest route, so the cost measured is the web config's. Over one kept-alive
connection: no web config (the baseline), basic auth with the credentials cached, and basic auth
through TLS. One new connection per request: plain HTTP, and TLS (a full handshake each, ECDSA
P-256, TLS 1.3). And the first request of each of 10 users, each paying one bcrypt check at cost
10 (htpasswd -nbBC 10) before its outcome is cached. 3 interleaved repetitions, median of the
per-request median; ratios against the baseline measured in the same run.

    python3 Benchmarks/web-access.py [--binary PATH]      (needs openssl and htpasswd)
"""
import argparse
import base64
import http.client
import os
import ssl
import statistics
import subprocess
import tempfile
import time

from release_exporter import release_binary, start_exporter

REQUESTS = 400
USERS = {f"user{n}": f"password-{n}" for n in range(10)}

def pki(folder):
    def run(*args):
        subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True)
    run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key",
        "-out", "ca.crt", "-days", "1", "-subj", "/CN=bench CA")
    run("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "server.key",
        "-out", "server.csr", "-subj", "/CN=127.0.0.1")
    with open(os.path.join(folder, "san.ext"), "w") as ext:
        ext.write("subjectAltName=IP:127.0.0.1\n")
    run("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", "server.crt", "-days", "1", "-extfile", "san.ext")

def bcrypt(user, password):
    line = subprocess.run(["htpasswd", "-nbBC", "10", user, password], check=True, capture_output=True, text=True).stdout
    return line.strip().split(":", 1)[1]

def auth(user, password):
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}

def timed(connect, headers, fresh_connection, count=REQUESTS):
    seconds = []
    conn = None if fresh_connection else connect()
    for _ in range(count):
        started = time.perf_counter()
        if fresh_connection:
            conn = connect()
        conn.request("GET", "/-/healthy", headers=headers)
        response = conn.getresponse()
        response.read()
        assert response.status == 200, response.status
        if fresh_connection:
            conn.close()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds)

def scenario(binary, folder, hashes, tls, basic_auth, measure):
    config = ""
    if tls:
        config += "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
    if basic_auth:
        config += "basic_auth_users:\n" + "".join(f"  {user}: {hashes[user]}\n" for user in USERS)
    flags = ["--storage.path", ""]
    if config:
        path = os.path.join(folder, "web.yml")
        with open(path, "w") as file:
            file.write(config)
        flags += ["--web.config.file", path]
    process, port = start_exporter(binary, *flags)
    try:
        context = ssl.create_default_context(cafile=os.path.join(folder, "ca.crt"))
        connect = (lambda: http.client.HTTPSConnection("127.0.0.1", port, context=context)) if tls \
            else (lambda: http.client.HTTPConnection("127.0.0.1", port))
        if measure == "first request":
            return statistics.median(timed(connect, auth(user, password), False, count=1) for user, password in USERS.items())
        headers = auth("user0", USERS["user0"]) if basic_auth else {}
        if headers:
            timed(connect, headers, False, count=1)  # the one bcrypt check; cached from here on
        return timed(connect, headers, measure == "new connection")
    finally:
        process.terminate()
        process.wait()

# name, TLS, basic auth, what is timed
SCENARIOS = [
    ("no web config, kept-alive connection (baseline)", False, False, "kept alive"),
    ("basic auth, cached, kept-alive connection", False, True, "kept alive"),
    ("TLS + basic auth, cached, kept-alive connection", True, True, "kept alive"),
    ("no web config, new connection per request", False, False, "new connection"),
    ("TLS, new connection per request (full handshake)", True, False, "new connection"),
    ("basic auth, first request of a user (one bcrypt check, cost 10)", False, True, "first request"),
]

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary")
    binary = release_binary(parser.parse_args().binary)
    with tempfile.TemporaryDirectory(prefix="vicidial-web-bench-") as folder:
        pki(folder)
        hashes = {user: bcrypt(user, password) for user, password in USERS.items()}
        results = {name: [] for name, *_ in SCENARIOS}
        for _ in range(3):
            for name, tls, basic_auth, measure in SCENARIOS:
                results[name].append(scenario(binary, folder, hashes, tls, basic_auth, measure))
    baseline = statistics.median(results[SCENARIOS[0][0]])
    print("| scenario | per request | vs baseline |\n|---|---|---|")
    for name, *_ in SCENARIOS:
        median = statistics.median(results[name])
        print(f"| {name} | {median * 1e6:.0f} µs | {median / baseline:.2f} |")

if __name__ == "__main__":
    main()
