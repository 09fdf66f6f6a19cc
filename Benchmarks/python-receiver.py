#!/usr/bin/env python3
"""The receiver a VICIdial admin might write in an afternoon: the standard library's threaded
HTTP server and prometheus_client, deriving per agent the events by type, seconds by state
(from the state each event implies), calls and dispositions. A baseline for the benchmarks, not
a product: no reordering, no journal, no label bounds.

    python3 Benchmarks/python-receiver.py    # prints "port N" once listening on 127.0.0.1
"""
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

from prometheus_client import CollectorRegistry, Counter, generate_latest

REGISTRY = CollectorRegistry()
EVENTS = Counter("vicidial_agent_events", "Agent events accepted, by event type.", ["user", "event"], registry=REGISTRY)
STATE_SECONDS = Counter("vicidial_agent_state_seconds", "Seconds by state.", ["user", "state"], registry=REGISTRY)
CALLS = Counter("vicidial_agent_calls", "Calls answered.", ["user"], registry=REGISTRY)
DISPOSITIONS = Counter("vicidial_agent_dispositions", "Calls dispositioned, by status.", ["user", "status"], registry=REGISTRY)

# The state each event moves an agent to (None: logged out); events not listed leave it.
STATES = {
    "logged_in": "pause", "state_paused": "pause", "state_ready": "wait", "call_answered": "talk",
    "call_dead": "dead", "agent_hangup": "dispo", "dispo_screen_open": "dispo", "dispo_set": "pause",
    "logged_out": None,
}
agents = {}  # user -> (state, since epoch)
lock = threading.Lock()


def account(user, event, message, epoch):
    EVENTS.labels(user, event).inc()
    if event == "call_answered":
        CALLS.labels(user).inc()
    if event == "dispo_set":
        DISPOSITIONS.labels(user, message.strip() or "other").inc()
    if event not in STATES:
        return
    with lock:
        state, since = agents.get(user, (None, epoch))
        if state is not None and epoch > since:
            STATE_SECONDS.labels(user, state).inc(epoch - since)
        agents[user] = (STATES[event], epoch)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle's algorithm on, each answer would wait
    # for the client's delayed ACK (40 ms). Fair to the baseline: turned off.
    disable_nagle_algorithm = True

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode("utf-8", "replace")
        fields = {key: values[0] for key, values in parse_qs(body, keep_blank_values=True).items()}
        if not fields.get("user") or not fields.get("event"):
            return self.answer(400, b"missing user or event\n")
        epoch = float(fields.get("epoch") or time.time())
        account(fields["user"], fields["event"], fields.get("message", ""), epoch)
        self.answer(200, b"accepted\n")

    def do_GET(self):
        if self.path.startswith("/metrics"):
            return self.answer(200, generate_latest(REGISTRY))
        self.answer(404, b"not found\n")

    def answer(self, status, body):
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a load generator closing its connections at the end is not news


if __name__ == "__main__":
    server = Server(("127.0.0.1", 0), Handler)
    print(f"port {server.server_address[1]}", flush=True)
    server.serve_forever()
