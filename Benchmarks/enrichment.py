#!/usr/bin/env python3
"""The load enrichment puts on VICIdial's database, and how long a poll takes, at 3,000 agents.

A real MariaDB (Debian mariadb-server) is started in a temporary directory on 127.0.0.1 with
VICIdial's own definitions of the tables enrichment reads (Tests/Fixtures), and filled like a
busy center: AGENTS users and live agents (a third of them PAUSED on a pause code), and
HISTORY older vicidial_agent_log rows. The release exporter polls it every second while every
agent has pushed a login (and the paused third a state_paused). Queries per poll are counted
with MariaDB's own Com_select counter; poll times are the exporter's
vicidial_exporter_db_poll_duration_seconds, sampled once a second. The baseline, measured in the
same run on the same database, is a floor of a tenth of the agents.

    python3 Benchmarks/enrichment.py [--agents 3000] [--history 200000] [--polls 20] [--binary PATH]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time
import urllib.request

from memory import push_agents
from multiprocessing import Pool
from release_exporter import ROOT, release_binary, start_exporter


def tool(name):
    for folder in ("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"):
        if os.access(os.path.join(folder, name), os.X_OK):
            return os.path.join(folder, name)
    raise SystemExit(f"{name} is missing: apt-get install mariadb-server")


class Database:
    def __init__(self):
        self.directory = tempfile.mkdtemp(prefix="bench-mariadb-")
        self.socket = os.path.join(self.directory, "sock")
        user = os.environ.get("USER", "root")
        subprocess.run([tool("mariadb-install-db"), "--no-defaults", f"--datadir={self.directory}/data",
                        "--auth-root-authentication-method=socket", f"--user={user}", "--skip-test-db"],
                       check=True, capture_output=True)
        import socket
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self.process = subprocess.Popen(
            [tool("mariadbd"), "--no-defaults", f"--datadir={self.directory}/data", f"--socket={self.socket}",
             f"--port={self.port}", "--bind-address=127.0.0.1", f"--user={user}", "--skip-log-bin",
             "--skip-name-resolve"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(600):
            if os.path.exists(self.socket):
                break
            time.sleep(0.1)
        self.user = user
        self.password = "bench-password"
        self.sql("CREATE DATABASE asterisk", database=None)
        with open(os.path.join(ROOT, "Tests/Fixtures/vicidial-agent-tables.sql")) as schema:
            self.sql(schema.read())
        self.sql(f"CREATE USER 'exporter'@'127.0.0.1' IDENTIFIED BY '{self.password}'; "
                 "GRANT SELECT ON asterisk.* TO 'exporter'@'127.0.0.1'", database=None)

    def sql(self, statements, database="asterisk"):
        command = [tool("mariadb"), "--no-defaults", f"--socket={self.socket}", f"--user={self.user}", "-N", "-B"]
        if database:
            command.append(database)
        return subprocess.run(command, input=statements, text=True, check=True, capture_output=True).stdout

    def selects(self):
        return int(self.sql("SHOW GLOBAL STATUS LIKE 'Com_select'").split()[1])

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=60)
        shutil.rmtree(self.directory, ignore_errors=True)


def fill(database, agents, history):
    rows, live, users = [], [], []
    for index in range(agents):
        user = f"ag{index:05d}"
        group = ("SALES", "SUPPORT", "COLLECT")[index % 3]
        campaign = ("OUTB", "INB", "BLEND", "RETEN")[index % 4]
        paused = index % 3 == 0
        users.append(f"('{user}','x','Agent {index}','{group}')")
        live.append(f"('{user}','10.0.0.1',0,'{campaign}','{'PAUSED' if paused else 'READY'}','{'BREAK' if paused else ''}',"
                    f"{1_000_000 + index})")
        rows.append(f"({1_000_000 + index},'{user}','10.0.0.1',NOW(),'{campaign}',{int(time.time()) - 60},'{group}',"
                    f"'{'BREAK' if paused else ''}')")
    statements = []
    for start in range(0, agents, 1000):
        statements.append("INSERT INTO vicidial_users (user,pass,full_name,user_group) VALUES " + ",".join(users[start:start + 1000]) + ";")
        statements.append("INSERT INTO vicidial_live_agents (user,server_ip,lead_id,campaign_id,status,pause_code,agent_log_id) VALUES "
                          + ",".join(live[start:start + 1000]) + ";")
        statements.append("INSERT INTO vicidial_agent_log (agent_log_id,user,server_ip,event_time,campaign_id,pause_epoch,user_group,sub_status) VALUES "
                          + ",".join(rows[start:start + 1000]) + ";")
    for start in range(0, history, 5000):
        values = ",".join(f"('ag{(start + index) % agents:05d}','10.0.0.1',NOW(),'OUTB',{int(time.time()) - 86400},'SALES','LUNCH')"
                          for index in range(min(5000, history - start)))
        statements.append("INSERT INTO vicidial_agent_log (user,server_ip,event_time,campaign_id,pause_epoch,user_group,sub_status) VALUES "
                          + values + ";")
    database.sql("\n".join(statements))


def poll_figures(binary, database, agents, polls):
    """Median and highest poll time and queries per poll, with `agents` of the users logged in."""
    password_file = os.path.join(database.directory, "password")
    with open(password_file, "w") as file:
        file.write(database.password)
    process, port = start_exporter(
        binary, "--vicidial.db-dsn", f"mysql://exporter@127.0.0.1:{database.port}/asterisk",
        "--vicidial.db-password-file", password_file, "--vicidial.db-poll-interval", "1s", "--agent.max-agents", "20000")
    try:
        epoch = int(time.time())
        users = [f"ag{index:05d}" for index in range(agents)]
        paused = [("logged_in", ""), ("state_paused", "")]
        ready = [("logged_in", ""), ("state_ready", "")]
        jobs = [(port, [u for u in users[sender::4] if int(u[2:]) % 3 == 0], paused, epoch) for sender in range(4)]
        jobs += [(port, [u for u in users[sender::4] if int(u[2:]) % 3 != 0], ready, epoch) for sender in range(4)]
        with Pool(4) as pool:
            if sum(pool.map(push_agents, jobs)):
                raise SystemExit("pushes were refused")
        time.sleep(3)  # a poll has read every agent
        before = database.selects()
        times = []
        for _ in range(polls):
            time.sleep(1)
            text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics").read().decode()
            value = next(line.split()[1] for line in text.splitlines()
                         if line.startswith("vicidial_exporter_db_poll_duration_seconds "))
            times.append(float(value))
        queries = (database.selects() - before) / polls
        up = "vicidial_exporter_db_up 1" in text
        return {"median": statistics.median(times), "max": max(times), "queries": queries, "up": up}
    finally:
        process.terminate()
        process.wait(timeout=30)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agents", type=int, default=3000)
    parser.add_argument("--history", type=int, default=200_000)
    parser.add_argument("--polls", type=int, default=20)
    parser.add_argument("--binary")
    args = parser.parse_args()
    binary = release_binary(args.binary)
    database = Database()
    try:
        fill(database, args.agents, args.history)
        baseline = poll_figures(binary, database, args.agents // 10, args.polls)
        full = poll_figures(binary, database, args.agents, args.polls)
    finally:
        database.stop()
    print(f"vicidial_agent_log: {args.agents + args.history} rows; {args.agents} live agents, a third PAUSED")
    print("| agents logged in | poll, median | poll, highest | SELECTs per poll | vs baseline |")
    print("|---|---|---|---|---|")
    for agents, figures in ((args.agents // 10, baseline), (args.agents, full)):
        print(f"| {agents:,} | {figures['median'] * 1000:.1f} ms | {figures['max'] * 1000:.1f} ms | {figures['queries']:.1f} | "
              f"{figures['median'] / baseline['median']:.1f}x |")
    if not (baseline["up"] and full["up"]):
        raise SystemExit("the database was not up at the end of a run")


if __name__ == "__main__":
    main()
