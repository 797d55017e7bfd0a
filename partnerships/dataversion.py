"""The data version: one counter, in the cache every worker shares, raised when the data
shown to readers may have changed. Caches of what is derived from the data (public pages,
facet counts) put it in their keys, so nothing computed before an edit is used after it.

It is raised when a transaction that wrote a row of the directory's apps
(``PAGE_CACHE_APPS``) commits: every write path (staff pages, API, admin, partner updates,
imports) reaches the models' signals. Writes that bypass them (bench/generate.py's COPY) call
``data_changed()`` themselves.

Those caches are on when ``PAGE_CACHE_SECONDS`` > 0, which the settings make the default only
with a cache shared by every worker (REDIS_URL): with one memory per process, one worker could
not tell the others that the data changed.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

VERSION_KEY = "pagecache:data-version"


def enabled() -> bool:
    return getattr(settings, "PAGE_CACHE_SECONDS", 0) > 0


def _fresh_version() -> int:
    # A version never used before, should the counter be lost (Redis restarted, or evicted
    # under memory pressure): the milliseconds since 1970, beyond anything the last counter
    # reached by one per write.
    return int(time.time() * 1000)


def data_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _fresh_version(), timeout=None)
        version = cache.get(VERSION_KEY, 0)
    return version


def data_changed() -> None:
    """Everything cached so far shows an older state: none of it is used again."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet (or lost): a new one differs from every old key
        cache.add(VERSION_KEY, _fresh_version(), timeout=None)


def _row_written(sender, using="default", **kwargs):
    if sender._meta.app_label not in settings.PAGE_CACHE_APPS:
        return
    connection = connections[using]
    # Raised when the transaction commits (at once outside a transaction): a reader never
    # caches, under the new version, a page read before the commit. Once per transaction
    # however many rows it wrote; a rolled-back write only costs one raise more later.
    connection.pagecache_dirty = True

    def commit():
        if getattr(connection, "pagecache_dirty", False):
            connection.pagecache_dirty = False
            data_changed()

    transaction.on_commit(commit, using=using, robust=True)


def connect_signals():
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_row_written, dispatch_uid=f"pagecache-{id(signal)}")


# {name: (data version, value)} of kept().
_kept = {}


def kept(name, compute):
    """``compute()``, kept in this process until the data version changes, where every worker
    reads the version from the shared cache (FACET_INDEX, the facets' index's setting: on with
    REDIS_URL); computed every time otherwise. For small lists every page of a kind reads (the
    filters' French regions and departments: two DISTINCT scans, 13 ms at 100,000 partnerships),
    whether pages are cached or not."""
    if not getattr(settings, "FACET_INDEX", False):
        return compute()
    # Read before computing: a write committed meanwhile raises the version again, so a value
    # newer than its version is computed once more, never an older one kept.
    version = data_version()
    held = _kept.get(name)
    if held is None or held[0] != version:
        held = _kept[name] = (version, compute())
    return held[1]


def forget_kept():
    """Drop what kept() holds (tests: their database is rolled back behind the version)."""
    _kept.clear()


def cached(prefix, parts, compute):
    """``compute()``, kept under ``parts`` (strings) for this data version while the caches
    are on; computed every time otherwise."""
    if not enabled():
        return compute()
    digest = hashlib.sha256("\n".join([str(data_version()), *parts]).encode()).hexdigest()
    key = f"{prefix}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.PAGE_CACHE_SECONDS)
    return value
