"""The printable répertoire: a PDF of the whole directory or of one Malian region, laid out like
the 2008 edition (cover, contents, summary table by domain, one fiche per page, the pairs known
without a fiche, annexe by region), from the live database, through WeasyPrint.

``edition()`` reads what an edition holds (a fixed number of queries, whatever its size),
``render_html()`` lays it out with the templates of ``templates/partnerships/print/``, and
``render_pdf()`` typesets it with the stylesheet ``static/css/print-repertoire.css`` and
Debian's fonts (DejaVu, Liberation through fontconfig). Nothing is fetched: WeasyPrint is given
a fetcher that refuses every URL but ``data:``. What a reader may see of people is the masker's
and ``show_personal_data``'s decision (partnerships/privacy.py), as on the site.

Typeset editions are kept in the cache per state of the data, language and audience (the public
edition, or the one with contacts for signed-in readers): ``cached()``, ``warm()``, and
``warm_in_background()`` for the whole directory, which takes longer than a web worker may.
"""

import datetime
import hashlib
import logging
import threading
from dataclasses import dataclass, field

from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.db import connections
from django.db.models import Count, Max, Prefetch, Sum
from django.template.loader import render_to_string
from django.utils import translation

from . import privacy
from .models import (
    Action,
    Budget,
    Collectivity,
    Domain,
    MalianRegion,
    Partnership,
    PartnershipStatus,
    SubTheme,
)

logger = logging.getLogger(__name__)

STYLESHEET = "css/print-repertoire.css"


@dataclass
class Edition:
    region: MalianRegion | None
    generated_on: datetime.date
    fiches: list = field(default_factory=list)  # documented, then "other" partnerships
    listed: list = field(default_factory=list)  # known pairs without a fiche
    domains: list = field(default_factory=list)  # [(domain, [fiches])]
    annex: list = field(default_factory=list)  # [(region, [partnerships])]

    @property
    def documented_count(self):
        return sum(p.status == PartnershipStatus.DOCUMENTED for p in self.fiches)

    @property
    def other_count(self):
        return len(self.fiches) - self.documented_count


def edition(region=None, *, contacts=False, today=None) -> Edition:
    """What the edition of ``region`` (None: the whole directory) holds, in the répertoire's
    order: fiches by title, numbered; domains in the summary table's order; regions by number."""
    partnerships = Partnership.objects.all()
    if region is not None:
        partnerships = partnerships.in_regions([region])
    partnerships = list(partnerships.for_document(contacts=contacts).order_by("title", "slug"))
    result = Edition(region=region, generated_on=today or datetime.date.today())
    documented = [p for p in partnerships if p.status == PartnershipStatus.DOCUMENTED]
    others = [p for p in partnerships if p.status == PartnershipStatus.OTHER]
    result.fiches = documented + others
    for number, partnership in enumerate(result.fiches, 1):
        partnership.fiche_number = number
    result.listed = [p for p in partnerships if p.status == PartnershipStatus.LISTED]
    domains = Domain.objects.prefetch_related(
        Prefetch("subthemes", queryset=SubTheme.objects.order_by("position"))
    )
    result.domains = [
        (domain, [p for p in result.fiches if domain in p.domains.all()]) for domain in domains
    ]
    regions = [region] if region is not None else list(MalianRegion.objects.all())
    for each in regions:
        rows = [
            p for p in partnerships if any(c.malian_region_id == each.pk for c in p.malian_partners)
        ]
        result.annex.append((each, rows))
    return result


def render_html(edition: Edition, *, masker, show_personal_data=False) -> str:
    context = {
        "edition": edition,
        "privacy": masker,
        "show_personal_data": show_personal_data,
    }
    return render_to_string("partnerships/print/repertoire.html", context)


def render_pdf(html: str) -> bytes:
    # Imported here: WeasyPrint loads Pango at import, which only the PDF needs.
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"})
    stylesheet = CSS(filename=finders.find(STYLESHEET), url_fetcher=fetcher)
    document = HTML(string=html, url_fetcher=fetcher, base_url="data:,")
    return document.write_pdf(stylesheets=[stylesheet])


def filename(region=None) -> str:
    return f"repertoire-{region.slug}.pdf" if region is not None else "repertoire.pdf"


def data_fingerprint() -> str:
    """Changes whenever what an edition shows may have changed: rows added or removed, a fiche
    or collectivity saved (versions), an edit recorded in the history, the names to mask."""
    parts = [
        Partnership.objects.aggregate(n=Count("id"), v=Sum("version")),
        Collectivity.objects.aggregate(n=Count("id"), v=Sum("version")),
        Partnership.history.aggregate(last=Max("history_id")),
        {"actions": Action.objects.count(), "budgets": Budget.objects.count()},
        {"names": privacy.names_version()},
    ]
    return repr(parts)


# A typeset edition is kept a day: a change of the data changes its key (data_fingerprint), so
# the duration only bounds how long an unused edition occupies the cache (about 0.5 MB each).
CACHE_SECONDS = 24 * 3600
# The whole directory takes one to two minutes on two cores; a typesetting that died with its
# worker (recycled, killed) frees its lock after this, and the next reader starts it again.
LOCK_SECONDS = 10 * 60


def typeset(region=None, *, contacts=False) -> bytes:
    """The PDF of an edition: the public one (texts masked, no contacts) or, with ``contacts``,
    the one signed-in readers get (partnerships/privacy.py)."""
    masker = privacy.SHOW_EVERYTHING if contacts else privacy.current_masker()
    html = render_html(
        edition(region, contacts=contacts), masker=masker, show_personal_data=contacts
    )
    return render_pdf(html)


def cache_key(region=None, *, contacts=False, fingerprint=None) -> str:
    """The edition's key: the audience is part of it, so that the copy with contacts is never
    the one an anonymous reader's key finds."""
    fingerprint = fingerprint or hashlib.sha256(data_fingerprint().encode()).hexdigest()
    audience = "contacts" if contacts else "public"
    slug = region.slug if region is not None else ""
    return f"print:{audience}:{translation.get_language()}:{slug}:{fingerprint}"


def cached(region=None, *, contacts=False) -> bytes | None:
    return cache.get(cache_key(region, contacts=contacts))


def warm(region=None, *, contacts=False) -> bytes:
    """Typeset the edition of the data as they are now and keep it in the cache."""
    # The key is taken before the data are read: an edit made during the typesetting gives a
    # new key, so an edition is never kept under a state newer than the one it shows.
    key = cache_key(region, contacts=contacts)
    pdf = typeset(region, contacts=contacts)
    cache.set(key, pdf, CACHE_SECONDS)
    return pdf


def in_background(job):
    """Run ``job`` in a daemon thread of this process (tests replace this to run it at once)."""

    def run():
        try:
            job()
        finally:
            # A thread's connections are not closed by the request cycle.
            connections.close_all()

    threading.Thread(target=run, daemon=True, name="print-repertoire").start()


def warm_in_background(region=None, *, contacts=False) -> bool:
    """Start typesetting the edition unless a worker already does (the lock is in the shared
    cache: Redis in production, so across workers). True if this call started it."""
    key = cache_key(region, contacts=contacts)
    lock = f"{key}:typesetting"
    if not cache.add(lock, True, LOCK_SECONDS):
        return False
    language = translation.get_language()

    def job():
        with translation.override(language):
            try:
                cache.set(key, typeset(region, contacts=contacts), CACHE_SECONDS)
            except Exception:
                # The lock is kept until it expires: a typesetting that fails is not retried
                # at every refresh of the waiting page.
                logger.exception("Typesetting of the répertoire failed (%s)", key)
                return
        cache.delete(lock)

    in_background(job)
    return True
