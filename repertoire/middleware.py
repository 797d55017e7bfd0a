"""The language of public pages from their URL prefix (/fr/, /en/)."""

from django.http import HttpResponsePermanentRedirect
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's, with a permanent redirect from an unprefixed public URL to its prefixed one:
    printed and bookmarked links from before the prefixes keep working, and search engines
    move their index to the new address."""

    response_redirect_class = HttpResponsePermanentRedirect
