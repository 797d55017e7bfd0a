"""The printable répertoire: a PDF of the whole directory or of one Malian region, laid out like
the 2008 edition (cover, contents, summary table by domain, one fiche per page, the pairs known
without a fiche, annexe by region), from the live database, through WeasyPrint.

``edition()`` reads what an edition holds (a fixed number of queries, whatever its size),
``render_html()`` lays it out with the templates of ``templates/partnerships/print/``, and
``render_pdf()`` typesets it with the stylesheet ``static/css/print-repertoire.css`` and
Debian's fonts (DejaVu, Liberation through fontconfig). Nothing is fetched: WeasyPrint is given
a fetcher that refuses every URL but ``data:``. What a reader may see of people is the masker's
and ``show_personal_data``'s decision (partnerships/privacy.py), as on the site.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.staticfiles import finders
from django.db.models import Count, Max, Prefetch, Sum
from django.template.loader import render_to_string

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
from .privacy import names_version

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
        {"names": names_version()},
    ]
    return repr(parts)
