"""Template helpers of the directory's pages."""

import functools
import html
import re

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.formats import date_format, localize
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import get_language, get_language_info, gettext, ngettext

from ..models import PartnershipState
from ..money import format_eur
from ..text import web_address

register = template.Library()

# What django.utils.text.normalize_newlines turns into a newline.
NEWLINES = re.compile(r"\r\n|\r")


@register.filter
def masked(text, privacy):
    """``{{ text|masked:privacy }}``: the text as the reader may see it (``privacy`` is the
    masker the context processor of partnerships/privacy.py gives every template)."""
    if not text:
        return text
    return privacy.text(str(text))


@register.simple_tag(takes_context=True)
def action_rows(context, actions):
    """``{% action_rows actions %}``: the rows of a fiche's actions table, each action with its
    ``domain_url`` (partnerships.views.partnership_detail) and ``budget_rows``, its texts
    masked for the reader as ``|masked:privacy`` does, each cell escaped as the template would.

    Written here rather than as a loop of the template: a fiche may have 60 actions, and the
    template engine took 6 of a fiche's 10 ms of rendering over them (0.1 ms a row); Django's
    escaping helpers, each checking its arguments for lazy strings, 4 ms more. Plain strings
    here (html.escape is what django.utils.html.escape calls): 1.5 ms for 60 rows."""
    privacy = context["privacy"]

    def lines(text):
        """``|masked:privacy|linebreaksbr``."""
        text = masked(text, privacy) or ""
        return html.escape(NEWLINES.sub("\n", text)).replace("\n", "<br>")

    done, period, budget_label, euros_label = map(
        html.escape,
        (gettext("Actions réalisées"), gettext("Période"), gettext("Budget"), gettext("En euros")),
    )
    total = f" ({html.escape(gettext('total'))})"
    rows = []
    for action in actions:
        printed = html.escape(masked(action.domain_as_printed, privacy) or "")
        if action.domain:
            domain = (
                f'<a href="{html.escape(action.domain_url)}">'
                f"{html.escape(action.domain.localized_name)}</a>"
            )
            if printed:
                domain += f'<br><span class="small printed">{printed}</span>'
        else:
            domain = printed
        amounts = "<br>".join(
            html.escape(format_eur(row.amount_eur)) + (total if row.kind == "total" else "")
            for row in action.budget_rows
        )
        rows.append(
            f'<tr><th scope="row">{domain}</th>'
            f'<td data-label="{done}">{lines(action.description)}</td>'
            f'<td data-label="{period}">{lines(action.period_as_printed)}</td>'
            f'<td data-label="{budget_label}">{lines(action.budget_as_printed)}</td>'
            f'<td class="num" data-label="{euros_label}">{amounts}</td></tr>'
        )
    return mark_safe("\n".join(rows))


# A facet's values are keys and codes, the same on every page: slugified once each.
_id_part = functools.lru_cache(maxsize=4096)(slugify)


@register.simple_tag
def facet_options(facet):
    """``{% facet_options facet %}``: the checkboxes of a facet's options (filters._facet:
    value, label, count, selected), each escaped as the template would.

    Written here rather than as a loop of the template, for the same reason as action_rows: a
    list shows about 170 options (the départements alone a hundred): 5 of the 30 ms a list
    page took in the template engine."""
    name = html.escape(facet["name"])
    options = []
    for option in facet["options"]:
        value, label, count = option["value"], str(option["label"]), option["count"]
        ident = f"f-{name}-{_id_part(value)}"
        empty = " empty" if not count and not option["selected"] else ""
        checked = " checked" if option["selected"] else ""
        options.append(
            f'<div class="facet-option{empty}">'
            f'<input type="checkbox" id="{ident}" name="{name}" value="{html.escape(value)}"'
            f"{checked}>"
            f'<label for="{ident}">{html.escape(label[:1].upper() + label[1:])} '
            f'<span class="count">({html.escape(str(localize(count)))})</span></label></div>'
        )
    return mark_safe("\n".join(options))


@register.filter
def euros(amount):
    """``{{ amount|euros }}``: "460 000 €", "€460,000" (partnerships.money.format_eur)."""
    return format_eur(amount)


@register.filter
def partnership_count(n):
    """ "1 partenariat", "12 partenariats"."""
    return ngettext("%(n)s partenariat", "%(n)s partenariats", n or 0) % {"n": n or 0}


@register.filter
def web_link(value):
    """``{{ site|web_link }}``: a stored web site as a link, only ever to an http(s) address
    (partnerships.text.web_address); anything else, such as a "javascript:" left by old data,
    is shown as plain text. The one place the pages turn a stored address into a link."""
    if not value:
        return ""
    href = web_address(value)
    if not href:
        return str(value)
    return format_html('<a href="{}" rel="nofollow noopener">{}</a>', href, value)


# How precisely an event is dated decides how much of the date is shown.
EVENT_DATE_FORMATS = {"year": "Y", "month": "F Y", "day": "j F Y"}


@register.filter
def event_date(event):
    """``{{ event|event_date }}``: "1988", "octobre 1988" or "19 mai 2016"."""
    return date_format(event.date, EVENT_DATE_FORMATS.get(event.precision, "Y"))


@register.filter
def state_label(state):
    return dict(PartnershipState.choices).get(state, state)


@register.simple_tag(takes_context=True)
def other_languages(context):
    """The current page in each other language: [(code, name, url)], or [] when the page has
    no language in its URL (staff pages, sign-in): those keep the language switch form."""
    request = context.get("request")
    if request is None:
        return []
    current = get_language()
    url = request.get_full_path()
    links = []
    for code, _name in settings.LANGUAGES:
        if code == current:
            continue
        translated = translate_url(url, code)
        if translated == url:
            return []
        links.append((code, get_language_info(code)["name_local"], translated))
    return links
