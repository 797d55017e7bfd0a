"""Template helpers of the directory's pages."""

from django import template
from django.utils.translation import ngettext

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
