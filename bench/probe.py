"""Per-request cost of the benchmark's pages, in-process (no server, no concurrency): the
median time over a few runs, the response size and the SQL statements with their time.

Usage: DATABASE_URL=... .venv/bin/python bench/probe.py [--runs 5] [--sql] [path ...]
For quick iterations while optimising; bench/load.py gives the figures under load.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sql", action="store_true", help="print the slowest statements")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "repertoire.settings")
    # PostgreSQL's settings of the web workers (repertoire/settings.py: no parallel workers,
    # no JIT, random_page_cost for SSD), which gunicorn.conf.py turns on with this timeout:
    # without them, a COUNT of "ecole"'s matches took 0.5 s here and 0.06 s under gunicorn.
    os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "30")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    sys.path.insert(0, str(ROOT / "bench"))
    from load import ENDPOINTS

    paths = args.paths or [path for _name, path in ENDPOINTS]
    client = Client(HTTP_HOST="127.0.0.1")
    for path in paths:
        times = []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(path, secure=True)
                body = b"".join(response) if response.streaming else response.content
                times.append(time.perf_counter() - started)
        sql_ms = sum(float(q["time"]) for q in queries.captured_queries) * 1000
        print(
            f"{statistics.median(times) * 1000:8.1f} ms  {response.status_code}  "
            f"{len(body) / 1024:7.1f} kB  {len(queries)} queries ({sql_ms:.0f} ms)  {path}"
        )
        if args.sql:
            slow = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:4]
            for q in slow:
                print(f"      {float(q['time']) * 1000:6.1f} ms  {q['sql'][:300]}")


if __name__ == "__main__":
    main()
