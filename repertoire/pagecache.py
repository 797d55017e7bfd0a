"""Anonymous readers' pages and API answers, kept in the shared cache until the data changes.

Most requests are anonymous reads of the same fiches, lists and API pages; they are rendered
once per state of the data and then served from the cache (Redis in production). The data
version (partnerships/dataversion.py) is part of every key, so a page rendered before an edit
is never served after it; every entry expires after ``PAGE_CACHE_SECONDS`` anyway (the
dormant state of a fiche depends on today's date).

What is never cached: signed-in users' pages (they show personal data and edit forms), requests
with an Authorization header (API tokens), anything
outside the public prefixes (/fr/, /en/, /api/: not the staff pages, the admin, accounts or a
partner's personal update link), requests carrying a session or flash-message cookie, responses
that are not a plain 200, set a cookie other than CSRF's, stream, or are larger than
``PAGE_CACHE_MAX_BYTES``. A cached page's CSRF tokens (the "signaler une erreur" form) are
replaced by fresh ones for each reader.

The cache is on when ``PAGE_CACHE_SECONDS`` > 0 (``dataversion.enabled()``).
"""

import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token

from partnerships.dataversion import data_version, enabled

PUBLIC_PREFIXES = ("/fr/", "/en/", "/api/")
CSRF_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
CSRF_PLACEHOLDER = b"\x00csrf\x00"


def _is_cacheable_request(request) -> bool:
    return (
        enabled()
        and request.method in ("GET", "HEAD")
        and request.path.startswith(PUBLIC_PREFIXES)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        # An API caller signed in with a token is anonymous to Django's middleware: the API
        # authenticates it later, and would show it the contacts.
        and "Authorization" not in request.headers
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
        # Checked again after the view: the API authenticates its callers itself (and sets
        # the user on this request); a signed-in caller's answer is never kept.
        if _is_cacheable_response(response) and not request.user.is_authenticated:
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
