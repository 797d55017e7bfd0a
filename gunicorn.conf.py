"""gunicorn in production (`make serve`): `gunicorn -c gunicorn.conf.py`.

Each setting can be changed on the command line or through the environment: GUNICORN_BIND,
WEB_CONCURRENCY (workers), GUNICORN_TIMEOUT and DATABASE_STATEMENT_TIMEOUT.
"""

import os

wsgi_app = "repertoire.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Synchronous workers: 2 on a 2-core machine leave room for PostgreSQL.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# PostgreSQL cancels a web request's query after 5 s (repertoire/settings.py reads it; the
# workers inherit the master's environment).
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "5")
# A worker silent for this long is killed and replaced: no request, however slow (a query is
# already cancelled after DATABASE_STATEMENT_TIMEOUT), pins a worker for good.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# Each worker is replaced after about ten thousand requests: memory a large response left in it
# is given back. Not sooner: served from the page cache a worker answers hundreds of requests a
# second, and each replacement costs a Django start and a first slow request (at 1,000, a
# twentieth of the requests waited for one).
max_requests = 10000
max_requests_jitter = 1000
# Errors on stderr (the service manager's journal); no access log (the proxy in front has one).
errorlog = "-"


def post_worker_init(worker):
    """What each process keeps in memory (repertoire/memory.py) built beside its first
    requests, in a thread: not before them, since a worker is replaced every ten thousand
    requests and cached pages, most of them, need neither (at 100,000 partnerships, building
    both before serving held every reader of a new worker for about 4 s); not by the first
    reader who needs them either, who would wait the whole build alone."""
    import gc
    import threading
    import time

    def warm_up():
        from django.db import connections

        from repertoire import memory

        try:
            started = time.monotonic()
            memory.warm_up()
            # What the worker keeps from now on (Django's modules, templates, the masker, the
            # index) is left out of the cyclic garbage collector's full passes: each walked
            # every object, some 20 ms at 100,000 partnerships, in the middle of a request.
            gc.freeze()
            worker.log.info("warm-up done in %.1f s", time.monotonic() - started)
        except Exception:  # noqa: BLE001 - a request builds it again, or shows the error
            worker.log.exception("warm-up failed")
        finally:
            # This thread's own connections.
            connections.close_all()

    threading.Thread(target=warm_up, name="warm-up", daemon=True).start()
