"""The bounds every year and every web address of the directory must keep, for models, forms,
filters and the API.

Model fields carry these validators, so ModelForms and DRF's ModelSerializers check them too;
the filters' year fields and the database constraints use the same bounds.
"""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

YEAR_MIN, YEAR_MAX = 1900, 2100


def validate_year(value):
    if value is not None and not YEAR_MIN <= value <= YEAR_MAX:
        raise ValidationError(
            _("Indiquez une année entre %(min)s et %(max)s."),
            code="year_out_of_range",
            params={"min": YEAR_MIN, "max": YEAR_MAX},
        )


def year_in_range(field: str) -> Q:
    """The CheckConstraint condition of an optional year field."""
    return Q(**{f"{field}__isnull": True}) | Q(
        **{f"{field}__gte": YEAR_MIN, f"{field}__lte": YEAR_MAX}
    )


# Web sites are links a reader follows: only http(s), never javascript:, data: or file: (a
# stored link must not run code in a reader's browser). partnerships.text.web_address turns
# what a document printed ("www.ville.fr") into such an address.
_web_url = URLValidator(
    schemes=["http", "https"],
    message=_("Indiquez une adresse web complète commençant par http:// ou https://."),
    code="url_not_http",
)


def validate_web_url(value):
    if value:
        _web_url(value)
        # Django's validator lets these through in a path; a real address has them
        # percent-encoded, and in a link they could only serve to break out of an attribute.
        if any(c in value for c in '"<>`'):
            raise ValidationError(_web_url.message, code=_web_url.code)
