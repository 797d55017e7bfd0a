"""Anonymous readers' pages and API answers, kept in the shared cache until the data changes.

Most requests are anonymous reads of the same fiches, lists and API pages; they are rendered
once per state of the data and then served from the cache (Redis in production). One counter,
the *data version*, is raised when a transaction that wrote a row of the directory's apps
commits (every write path reaches the models' signals: staff pages, API, admin, imports);
the version is part of every key, so a page rendered before an edit is never served after
it. Writes that bypass the signals (bench/generate.py's COPY) call ``data_changed()``
themselves, and every entry expires after ``PAGE_CACHE_SECONDS`` anyway (the dormant state of
a fiche depends on today's date).

What is never cached: signed-in users' pages (they show personal data and edit forms), anything
outside the public prefixes (/fr/, /en/, /api/: not the staff pages, the admin, accounts or a
partner's personal update link), requests carrying a session or flash-message cookie, responses
that are not a plain 200, set a cookie other than CSRF's, stream, or are larger than
``PAGE_CACHE_MAX_BYTES``. A cached page's CSRF tokens (the "signaler une erreur" form) are
replaced by fresh ones for each reader.

The cache is on when ``PAGE_CACHE_SECONDS`` > 0, which the settings make the default only with
a cache shared by every worker (REDIS_URL): with one memory per process, one worker could not
tell the others that the data changed.
"""

import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token

VERSION_KEY = "pagecache:data-version"
PUBLIC_PREFIXES = ("/fr/", "/en/", "/api/")
CSRF_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
CSRF_PLACEHOLDER = b"\x00csrf\x00"


def enabled() -> bool:
    return getattr(settings, "PAGE_CACHE_SECONDS", 0) > 0


def data_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def data_changed() -> None:
    """Every page cached so far shows an older state: none of them is served again."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet (or evicted): any new one differs from the old keys
        cache.add(VERSION_KEY, 2, timeout=None)


def _row_written(sender, using="default", **kwargs):
    if sender._meta.app_label not in settings.PAGE_CACHE_APPS:
        return
    from django.db import connections

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


def _is_cacheable_request(request) -> bool:
    return (
        enabled()
        and request.method in ("GET", "HEAD")
        and request.path.startswith(PUBLIC_PREFIXES)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not request.user.is_authenticated
    )


def _is_cacheable_response(response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and set(response.cookies) <= {settings.CSRF_COOKIE_NAME}
        and not any(word in response.get("Cache-Control", "") for word in ("private", "no-store"))
        and len(response.content) <= settings.PAGE_CACHE_MAX_BYTES
    )


def cache_key(request, version) -> str:
    parts = [
        str(version),
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        getattr(request, "LANGUAGE_CODE", ""),
        # The API answers JSON or the browsable page by the Accept header.
        request.headers.get("Accept", "") if request.path.startswith("/api/") else "",
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"pagecache:{digest}"


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _is_cacheable_request(request):
            return self.get_response(request)
        key = cache_key(request, data_version())
        stored = cache.get(key)
        if stored is not None:
            return self._rebuilt(request, stored)
        response = self.get_response(request)
        if _is_cacheable_response(response):
            content = CSRF_FIELD.sub(rb"\1" + CSRF_PLACEHOLDER + rb"\2", response.content)
            headers = list(response.headers.items())
            cache.set(key, (response.status_code, headers, content), settings.PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def _rebuilt(request, stored):
        status, headers, content = stored
        if CSRF_PLACEHOLDER in content:
            # Each form gets a token of this reader's own (and the CSRF cookie when needed).
            parts = content.split(CSRF_PLACEHOLDER)
            content = parts[0] + b"".join(get_token(request).encode() + part for part in parts[1:])
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        response["Content-Length"] = str(len(content))
        response["X-Page-Cache"] = "hit"
        return response
