"""Lighthouse scores of the home page, the partnership list and a fiche, offline.

Usage: .venv/bin/python bench/lighthouse.py [--port N] [--fiche SLUG] [--out bench/out]
Serves the project as in production (DJANGO_DEBUG=0, static files collected and compressed by
whitenoise) on a scratch SQLite database it migrates and seeds, then runs npm's `lighthouse`
(package.json pins it; `npm ci` first) with Debian's Chromium (CHROME_PATH, default
/usr/bin/chromium), headless, mobile emulation (Lighthouse's default), no network beyond the
local server. Prints the four scores per page; copy them into the README.
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


def wait_for(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server did not answer at {url}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--fiche", default="aix-en-provence-bamako-commune-v")
    parser.add_argument("--out", default=str(ROOT / "bench" / "out"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    lighthouse = ROOT / "node_modules" / ".bin" / "lighthouse"
    if not lighthouse.exists():
        raise SystemExit("npm ci first (package.json pins lighthouse)")

    scratch = tempfile.mkdtemp(prefix="lighthouse-")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{scratch}/db.sqlite3",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "lighthouse-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Plain HTTP on the loopback: no redirect to HTTPS, cookies without Secure.
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
    }
    manage = [PYTHON, str(ROOT / "manage.py")]
    for command in (["migrate", "-v0"], ["seed", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run(manage + command, env=env, check=True, cwd=ROOT)
    if not args.port:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            args.port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        manage + ["runserver", "--noreload", "--nostatic", f"127.0.0.1:{args.port}"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=open(out / "server.log", "w"),
    )
    try:
        wait_for(base + "/fr/")
        pages = {
            "home": "/fr/",
            "list": "/fr/partenariats/",
            "fiche": f"/fr/partenariats/{args.fiche}/",
        }
        print(f"{'page':<8}" + "".join(f"{c:>16}" for c in CATEGORIES))
        for name, path in pages.items():
            report = out / f"lighthouse-{name}.json"
            subprocess.run(
                [
                    str(lighthouse),
                    base + path,
                    "--quiet",
                    "--output=json",
                    f"--output-path={report}",
                    "--only-categories=" + ",".join(CATEGORIES),
                    "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
                ],
                env={**env, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")},
                check=True,
            )
            scores = json.loads(report.read_text())["categories"]
            print(
                f"{name:<8}" + "".join(f"{round(scores[c]['score'] * 100):>16}" for c in CATEGORIES)
            )
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
