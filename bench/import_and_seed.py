"""Benchmark: parse the whole répertoire, and seed a fresh database from the fixtures.

Usage: .venv/bin/python bench/import_and_seed.py [--runs N]
Seeds a temporary SQLite file (or the database of DATABASE_URL when it is set: it must be a
scratch database, the script migrates and seeds it). Prints wall times (best and median of N
runs) and peak memory; copy the figures into the README.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(function, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "repertoire.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from partnerships.importers.repertoire import build

    best, median = timed(lambda: build(settings.SOURCES_DIR), args.runs)
    tracemalloc.start()
    dataset = build(settings.SOURCES_DIR)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    objects = sum(len(v) for v in dataset.fixtures.values())
    print(
        f"parse + assemble the répertoire: best {best:.2f} s, median {median:.2f} s, "
        f"peak Python memory {peak / 1e6:.1f} MB, {objects} fixture objects"
    )

    call_command("migrate", verbosity=0)
    first = time.perf_counter()
    call_command("seed", verbosity=0)
    first = time.perf_counter() - first
    best, median = timed(lambda: call_command("seed", verbosity=0), args.runs)
    print(
        f"seed a fresh {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]} database: "
        f"{first:.2f} s; re-seed (same data): best {best:.2f} s, median {median:.2f} s"
    )


if __name__ == "__main__":
    main()
