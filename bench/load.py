"""Load benchmark: the site under gunicorn (2 workers), 4 concurrent clients per endpoint.

Usage: .venv/bin/python bench/load.py [--sizes real,10000,100000] [--duration 15] [--reuse]
For each size it makes a scratch database (PostgreSQL when DATABASE_URL names a server: the
database `bench_<size>` on that server, dropped and made again; else a SQLite file in
bench/out/), migrates and seeds it, scales it with bench/generate.py, collects the static
files, starts gunicorn with gunicorn.conf.py in the production profile (DJANGO_DEBUG=0) and
runs wrk (Debian's `apt-get install wrk`) on each endpoint for --duration seconds, 4
connections, with the Accept-Encoding a browser sends. It prints p50/p95 latency, throughput,
non-2xx answers and timeouts, the uncompressed size of the endpoint's response and the
gunicorn workers' resident memory (current, and the peak since start), and writes them as
JSON into bench/out/. `--reuse` keeps a database that already has the wanted size.

Each size is measured with the anonymous page cache on (Redis, as `make serve` runs with
REDIS_URL: wrk repeating one URL then measures cache hits) and off (every request computed:
what the first reader of a page, or a search nobody made yet, costs); `--cache on|off` picks one.
Redis is BENCH_REDIS_URL (default redis://127.0.0.1:6379/15), emptied before each run.
"""

import argparse
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PYTHON = sys.executable
WRK_SCRIPT = Path(__file__).with_name("wrk_report.lua")
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))

# Fixed real rows, so that each size measures the same pages: the fiche with the most action
# rows (in Kayes, the region with the most partnerships, and six domains), Kayes, health.
ENDPOINTS = [
    ("home", "/fr/"),
    ("fiche", "/fr/partenariats/chilly-mazarin-diema/"),
    ("API detail", "/api/v1/partnerships/chilly-mazarin-diema/"),
    ("list region + domain", "/fr/partenariats/?region=kayes&domain=sante"),
    ("list, search word", "/fr/partenariats/?search=ecole"),
    # A name: a few hundred matches at 100k, ranked by ts_rank ("ecole" matches a third).
    ("list, search a name", "/fr/partenariats/?search=koutiala"),
    ("API, search word", "/api/v1/partnerships/?search=ecole"),
    ("region page", "/fr/regions/kayes/"),
    # A million actions at 100k: the facets sum the actions per partnership (filters.py).
    ("actions region + domain", "/fr/actions/?region=kayes&domain=sante"),
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_for(label):
    """(DATABASE_URL of the scratch database, function making it empty)."""
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith(("postgres://", "postgresql://")):
        parsed = urllib.parse.urlsplit(base)
        name = f"bench_{label}"
        url = urllib.parse.urlunsplit(parsed._replace(path=f"/{name}"))

        def create():
            admin = urllib.parse.urlunsplit(parsed._replace(path="/postgres"))
            for sql in (f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}"):
                subprocess.run(["psql", admin, "-q", "-c", sql], check=True)

        return url, create
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"bench-{label}.sqlite3"

    def create():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)

    return f"sqlite:///{path}", create


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def partnership_count(env):
    code = "from partnerships.models import Partnership as P; print(P.objects.count())"
    result = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    lines = result.stdout.strip().splitlines()
    return int(lines[-1]) if result.returncode == 0 and lines else None


def prepare(label, size, reuse):
    url, create = database_for(label)
    env = {**os.environ, "DATABASE_URL": url, "DATABASE_STATEMENT_TIMEOUT": "0"}
    if reuse and partnership_count(env) == size:
        print(f"[{label}] reusing {url}")
        return url
    started = time.perf_counter()
    create()
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "seed", "-v0")
    if size:
        command = [PYTHON, "bench/generate.py", "--partnerships", str(size)]
        subprocess.run(command, cwd=ROOT, env=env, check=True)
    print(f"[{label}] database ready in {time.perf_counter() - started:.0f} s: {url}")
    return url


def production_env(url):
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        # Plain HTTP on the loopback: no redirect to HTTPS.
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
        # The benchmark is one client address: the anonymous throttle would answer 429.
        "API_ANON_RATE": "100000000/minute",
    }


def get(url, encoding="identity", timeout=600):
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        body, status = error.read(), error.code
    return status, len(body), time.perf_counter() - started


def workers(master):
    return subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True
    ).stdout.split()


def workers_cpu(master):
    """CPU seconds the master's workers have used: on a machine shared with other work, CPU
    time per request says more than wall time (it does not count waiting for a core)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in workers(master):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def workers_memory(master):
    """(largest current RSS, largest peak RSS) of the master's workers, in MB."""
    current = peak = 0
    for pid in workers(master):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except FileNotFoundError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        current = max(current, int(fields["VmRSS"].split()[0]) // 1024)
        peak = max(peak, int(fields["VmHWM"].split()[0]) // 1024)
    return current, peak


def drain(base, limit=300):
    """Wait until both workers answer quickly again: wrk stops at its deadline, but the
    requests still running in the workers would slow the next endpoint down."""
    deadline = time.monotonic() + limit
    probe = base + "/static/css/site.css"
    times = []

    def probe_once():
        times.append(get(probe, timeout=limit)[2])

    while time.monotonic() < deadline:
        times.clear()
        threads = [threading.Thread(target=probe_once) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if max(times) < 0.5:
            return
    print("  (workers still busy after the drain limit)")


def run_wrk(url, duration, connections):
    result = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{duration}s",
            "--timeout",
            "60s",
            "-H",
            "Accept-Encoding: gzip, deflate",
            "-s",
            str(WRK_SCRIPT),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    line = [line for line in result.stdout.splitlines() if line.startswith("{")][-1]
    return json.loads(line)


def serve(url, port, cache):
    env = production_env(url)
    # The production profile's Redis, the page cache on or off (every reader a first one).
    env["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
    env["PAGE_CACHE_SECONDS"] = "600" if cache else "0"
    import redis

    redis.Redis.from_url(env["REDIS_URL"]).flushdb()
    return subprocess.Popen(
        [
            str(Path(PYTHON).with_name("gunicorn")),
            "-c",
            "gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(OUT / "gunicorn.log", "a"),  # noqa: SIM115 (closed with the process)
    )


def warmed_up_workers(log, offset):
    with open(log, encoding="utf-8", errors="replace") as lines:
        lines.seek(offset)
        return sum("warm-up done" in line for line in lines)


def measure(label, url, duration, connections, cache, only=None):
    port = free_port()
    log = OUT / "gunicorn.log"
    offset = log.stat().st_size if log.exists() else 0
    server = serve(url, port, cache)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if get(base + "/static/css/site.css", timeout=5)[0] < 500:
                    break
            except OSError:
                time.sleep(0.2)
        # Running sites are measured, not starting ones: each worker builds what it keeps in
        # memory in a thread as it starts (gunicorn.conf.py), some 2 s of CPU at 100,000.
        deadline = time.monotonic() + 120
        while warmed_up_workers(log, offset) < WORKERS and time.monotonic() < deadline:
            time.sleep(0.2)
        results = []
        for name, path in ENDPOINTS:
            if only and not any(word in name for word in only):
                continue
            status, size, first = get(base + path)
            gzip_size = get(base + path, encoding="gzip")[1]
            load = os.getloadavg()[0]
            cpu = workers_cpu(server.pid)
            stats = run_wrk(base + path, duration, connections)
            drain(base)
            cpu = workers_cpu(server.pid) - cpu
            rss, peak = workers_memory(server.pid)
            results.append(
                {
                    "endpoint": name,
                    "path": path,
                    "status": status,
                    "first_s": round(first, 3),
                    "bytes": size,
                    "gzip_bytes": gzip_size,
                    "rss_mb": rss,
                    "peak_rss_mb": peak,
                    "cpu_ms_per_request": round(1000 * cpu / max(stats["requests"], 1)),
                    "load": round(load, 1),
                    **stats,
                }
            )
            print_row(label, results[-1], duration)
        return results
    finally:
        server.terminate()
        server.wait(timeout=60)


def milliseconds(microseconds):
    if microseconds >= 1_000_000:
        return f"{microseconds / 1e6:.1f} s"
    return f"{microseconds / 1000:.0f} ms"


def print_row(label, r, duration):
    if r["requests"]:
        latency = f"p50 {milliseconds(r['p50_us'])}, p95 {milliseconds(r['p95_us'])}"
    else:
        latency = f"none answered in {duration} s"
    failures = r["errors_status"] + r["errors_timeout"] + r["errors_read"]
    print(
        f"| {label} | {r['endpoint']} | {latency} | "
        f"{r['requests'] / (r['duration_us'] / 1e6):.1f}/s | {failures} | "
        f"{r['bytes'] / 1e3:.0f} kB ({r['gzip_bytes'] / 1e3:.0f} kB gzip) | "
        f"{r['rss_mb']} MB (peak {r['peak_rss_mb']} MB) | {r['cpu_ms_per_request']} ms | "
        f"{r['load']} |",
        flush=True,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="real,10000", help="comma-separated: real or N")
    parser.add_argument("--duration", type=int, default=15, help="seconds per endpoint")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument(
        "--only", help='comma-separated words: the endpoints whose name holds one ("fiche,API")'
    )
    parser.add_argument(
        "--cache",
        choices=["on", "off", "both"],
        default="both",
        help="the anonymous page cache (Redis): on as `make serve` runs, off (every request "
        "computed), or both one after the other",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    OUT.mkdir(parents=True, exist_ok=True)
    print(
        f"{os.cpu_count()} cores, {os.environ.get('DATABASE_URL', 'SQLite').split('@')[-1]}, "
        f"{args.connections} connections, {args.duration} s per endpoint"
    )
    print(
        "| size | endpoint | latency | throughput | failed | response | worker RSS "
        "| worker CPU per request | load average |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    # Hashed and compressed static files, as `make serve` makes them (once: it takes a while).
    manage(production_env(""), "collectstatic", "--noinput", "-v0")
    everything = {}
    for label in args.sizes.split(","):
        size = 0 if label == "real" else int(label)
        url = prepare(label, size, args.reuse)
        for cache in {"on": [True], "off": [False], "both": [True, False]}[args.cache]:
            name = f"{label}, {'cache' if cache else 'no cache'}"
            only = args.only.split(",") if args.only else None
            everything[name] = measure(name, url, args.duration, args.connections, cache, only)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (OUT / f"load-{stamp}.json").write_text(json.dumps(everything, indent=2))


if __name__ == "__main__":
    main()
