"""Template helpers of the directory's pages."""

from django import template
from django.utils.translation import gettext as _

from partnerships.exports import hide_coordinates

register = template.Library()


@register.filter
def hide_personal_data(text, show=False):
    """Free text without e-mail addresses and phone numbers, unless `show` (a signed-in user)."""
    if show or not text:
        return text
    return hide_coordinates(str(text))


@register.filter
def partnership_count(n):
    """ "1 partenariat", "12 partenariats" (two plain messages: the .po holds no plural forms)."""
    if n in (0, 1):
        return _("%(n)s partenariat") % {"n": n}
    return _("%(n)s partenariats") % {"n": n}
