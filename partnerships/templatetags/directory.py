"""Template helpers of the directory's pages."""

from django import template
from django.utils.html import format_html
from django.utils.translation import ngettext

from ..text import web_address

register = template.Library()


@register.filter
def masked(text, privacy):
    """``{{ text|masked:privacy }}``: the text as the reader may see it (``privacy`` is the
    masker the context processor of partnerships/privacy.py gives every template)."""
    if not text:
        return text
    return privacy.text(str(text))


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
