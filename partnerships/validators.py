"""The bounds every year of the directory must keep, for models, forms, filters and the API.

Model fields carry these validators, so ModelForms and DRF's ModelSerializers check them too;
the filters' year fields and the database constraints use the same bounds.
"""

from django.core.exceptions import ValidationError
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
