#!/usr/bin/env python3
"""Abuse run against the real daemon, on loopback only, bounded in time. Run by hand:

    python3 tests/abuse/abuse_run.py BUILD_DIR [--flood 2000] [--seconds 30]

It starts `BUILD/reelfeed run` on a temporary config (three local sources, one of them
flooding 100,000 items, and one whose server redirects to internal addresses), then:

1. slowloris: FLOOD connections from 127.0.0.1, each sending only "GET / HTTP/1.1\\r\\n",
   reopened as soon as the daemon closes one, for SECONDS; meanwhile a normal client on
   the same address fetches /feed.atom and /healthz every 100 ms;
2. prints what the daemon held, how the normal client fared (median, p99, max latency,
   failures), the daemon's RSS before, at the peak of and after the flood, the flooding
   source's capped ingest and the refused redirects from the log, and how long SIGTERM
   took to stop it.

Nothing here asserts: it measures. The tests (tests/e2e/slow_clients_e2e_test.cpp and
others) assert the behaviour.
"""

import argparse
import http.client
import http.server
import multiprocessing
import os
import resource
import selectors
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def open_fds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def flooding_feed(n):
    items = []
    for i in range(n):
        items.append(
            f"<item><guid>flood-{i}</guid><title>Local bakery note number {i} about bread</title>"
            f"<link>https://flood.example/{i}</link>"
            f"<pubDate>Mon, 23 Nov 2026 10:{i % 60:02d}:00 GMT</pubDate></item>")
    return ('<?xml version="1.0"?><rss version="2.0"><channel><title>Flood</title>'
            '<link>https://flood.example/</link>' + "".join(items) + "</channel></rss>")


def ordinary_feed(name, n):
    items = []
    for i in range(n):
        items.append(
            f"<item><guid>{name}-{i}</guid><title>Studio signs AI dubbing deal {name} {i} "
            f"w{i * 7919}</title><link>https://{name}.example/{i}</link>"
            f"<pubDate>Mon, 23 Nov 2026 09:{i % 60:02d}:00 GMT</pubDate>"
            f"<description>AI in Hollywood entertainment story {i}</description></item>")
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{name}</title>'
            f"<link>https://{name}.example/</link>" + "".join(items) + "</channel></rss>")


class Redirector(http.server.BaseHTTPRequestHandler):
    """A source whose every URL redirects to an internal address."""
    targets = ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "http://0.0.0.0:1/"]
    hits = 0

    def do_GET(self):
        target = Redirector.targets[Redirector.hits % len(Redirector.targets)]
        Redirector.hits += 1
        self.send_response(302)
        self.send_header("Location", target)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


class Flood(threading.Thread):
    """Keeps `count` slow connections open to the daemon, reopening each one it closes."""

    def __init__(self, port, count):
        super().__init__(daemon=True)
        self.port, self.count = port, count
        self.stop = False
        self.sent = 0
        self.closed = 0
        self.open_now = 0
        self.sel = selectors.DefaultSelector()

    def open_one(self):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        try:
            s.connect_ex(("127.0.0.1", self.port))
        except OSError:
            s.close()
            return
        self.sel.register(s, selectors.EVENT_WRITE, "connecting")

    def run(self):
        for _ in range(self.count):
            self.open_one()
        while not self.stop:
            for key, _ in self.sel.select(timeout=0.05):
                s = key.fileobj
                if key.data == "connecting":
                    err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                    self.sel.unregister(s)
                    if err != 0:
                        s.close()
                        self.open_one()
                        continue
                    try:
                        s.send(b"GET / HTTP/1.1\r\n")
                        self.sent += 1
                        self.sel.register(s, selectors.EVENT_READ, "sent")
                    except OSError:
                        s.close()
                        self.open_one()
                    continue
                try:
                    data = s.recv(256)
                except OSError:
                    data = b""
                if not data:
                    self.sel.unregister(s)
                    s.close()
                    self.closed += 1
                    self.open_one()
            self.open_now = sum(1 for k in self.sel.get_map().values() if k.data == "sent")
        for key in list(self.sel.get_map().values()):
            key.fileobj.close()


def normal_client(port, stop, out):
    """Runs in its own process (not a thread of the flooding one), so that what it measures
    is the daemon, not this script's interpreter lock."""
    results = []
    while not stop.is_set():
        for path in ("/feed.atom", "/healthz"):
            t0 = time.monotonic()
            ok = False
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                c.request("GET", path)
                r = c.getresponse()
                r.read()
                ok = r.status == 200
                c.close()
            except OSError:
                pass
            results.append((path, ok, (time.monotonic() - t0) * 1000))
        time.sleep(0.1)
    out.send(results)


def wait_for(pred, seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.1)
    return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("--flood", type=int, default=2000)
    ap.add_argument("--seconds", type=float, default=30)
    args = ap.parse_args()
    binary = os.path.join(args.build, "reelfeed")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, args.flood + 1024)), hard))

    tmp = tempfile.mkdtemp(prefix="reelfeed-abuse-")
    with open(os.path.join(tmp, "flood.xml"), "w") as f:
        f.write(flooding_feed(100_000))
    for name in ("variety", "deadline"):
        with open(os.path.join(tmp, f"{name}.xml"), "w") as f:
            f.write(ordinary_feed(name, 40))
    redirector = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Redirector)
    threading.Thread(target=redirector.serve_forever, daemon=True).start()
    rules = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "config",
                         "topics", "ai-hollywood.toml")
    config = f'''include = ["{os.path.abspath(rules)}"]
[storage]
path = "{tmp}/abuse.db"
retain = "3650d"
[server]
listen = "127.0.0.1:0"
[poll]
interval = "1m"
min_interval = "30s"
max_body_size = "64MB"   # the flooding source's 100,000 items are ~18 MB
[output]
max_age = "3650d"
'''
    for name in ("variety", "deadline", "flood"):
        config += f'[[source]]\nname = "{name}"\nurl = "file://{tmp}/{name}.xml"\n' \
                  f'tags = ["entertainment"]\n'
    config += f'[[source]]\nname = "redirector"\n' \
              f'url = "http://127.0.0.1:{redirector.server_port}/feed.xml"\n'
    cfg = os.path.join(tmp, "abuse.toml")
    with open(cfg, "w") as f:
        f.write(config)
    log_path = os.path.join(tmp, "daemon.log")
    log = open(log_path, "w")
    daemon = subprocess.Popen([binary, "run", "-c", cfg], stdout=subprocess.DEVNULL, stderr=log)

    def log_text():
        with open(log_path) as f:
            return f.read()

    if not wait_for(lambda: "info listening addr=" in log_text(), 30):
        sys.exit("the daemon did not start:\n" + log_text())
    port = int(log_text().split("info listening addr=")[1].split("\n")[0].rsplit(":", 1)[1])
    wait_for(lambda: "source=flood" in log_text() and "source=redirector" in log_text(), 120)
    time.sleep(2)  # the publish after the first polls
    rss_before = rss_kib(daemon.pid)

    flood = Flood(port, args.flood)
    stop = multiprocessing.Event()
    results_in, results_out = multiprocessing.Pipe(duplex=False)
    client = multiprocessing.Process(target=normal_client, args=(port, stop, results_out))
    client.start()  # forked before the flood's thread starts
    flood.start()
    started = time.monotonic()
    rss_peak, fds_peak, held = rss_before, 0, []
    while time.monotonic() - started < args.seconds:
        time.sleep(0.5)
        rss_peak = max(rss_peak, rss_kib(daemon.pid))
        fds_peak = max(fds_peak, open_fds(daemon.pid))
        held.append(flood.open_now)
    stop.set()
    results = results_in.recv()
    client.join()
    flood.stop = True
    flood.join()
    time.sleep(6)  # past the request deadline: the daemon has let the last ones go
    rss_after = rss_kib(daemon.pid)
    fds_after = open_fds(daemon.pid)

    t0 = time.monotonic()
    daemon.send_signal(15)
    code = daemon.wait(timeout=60)
    stop_ms = (time.monotonic() - t0) * 1000
    text = log_text()

    lat = sorted(ms for _, ok, ms in results)
    failures = sum(1 for _, ok, _ in results if not ok)
    print(f"slow connections: {args.flood} from 127.0.0.1 for {args.seconds:.0f} s; "
          f"{flood.sent} slow requests sent, {flood.closed} closed by the daemon; "
          f"open on the flood's side: median {statistics.median(held):.0f}, max {max(held)}")
    print(f"daemon descriptors: peak {fds_peak}, after {fds_after}")
    if lat:
        print(f"normal client (same address): {len(lat)} requests, {failures} failed; "
              f"latency median {statistics.median(lat):.1f} ms, "
              f"p99 {lat[int(len(lat) * 0.99) - 1]:.1f} ms, max {lat[-1]:.1f} ms")
    print(f"daemon RSS: before {rss_before / 1024:.1f} MiB, peak {rss_peak / 1024:.1f} MiB, "
          f"after {rss_after / 1024:.1f} MiB")
    for line in text.splitlines():
        if "server_limit" in line:
            print("log: " + line)
            break
    capped = [l for l in text.splitlines() if "warn capped source=flood" in l]
    print(f"flooding source: {len(capped)} capped polls; first: {capped[0] if capped else '-'}")
    refused = [l for l in text.splitlines() if "redirect refused" in l]
    print(f"redirects to internal addresses refused: {len(refused)}; "
          f"first: {refused[0][:160] if refused else '-'}")
    print(f"SIGTERM to exit: {stop_ms:.0f} ms, exit code {code}")
    print(f"(log and database in {tmp})")


if __name__ == "__main__":
    main()
