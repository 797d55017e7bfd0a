"""The REST framework defaults that settings.REST_FRAMEWORK names: pagination and CSV renderer.

Kept apart from viewsets.py on purpose: DRF resolves these dotted paths while its own views
module is being imported, so the module they live in must not import DRF's views.
"""

from functools import partial

from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import BaseRenderer

from ..exports import documents_as_csv

MAX_PAGE_SIZE = 200


class CountedPaginator(Paginator):
    """A paginator told how to count its objects (``count``: a function)."""

    def __init__(self, *args, count, **kwargs):
        super().__init__(*args, **kwargs)
        self._count = count

    @cached_property
    def count(self):
        return self._count()


class Pagination(PageNumberPagination):
    """Pages of 20 rows, as the pages show them; the caller may choose `page_size` from 1 to 200.

    Not more by default: a row is a whole document (actions, budgets), and 50 of a national
    directory's made answers over a megabyte, a long wait on a slow connection.

    A malformed `page` or `page_size` is a 400 naming it (DRF would fall back silently or answer
    404); a page number past the last page stays a 404.
    """

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw in (None, ""):
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Valeurs acceptées : un entier de 1 à %(max)s.")
                        % {"max": self.max_page_size}
                    ]
                }
            )
        return size

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param)
        if raw not in (None, "") and not (raw.isascii() and raw.isdigit() and int(raw) >= 1):
            raise ValidationError(
                {self.page_query_param: [_("Valeurs acceptées : un entier à partir de 1.")]}
            )
        # A FilterSet that counts its selection better than COUNT over the page's query (the
        # partnerships' search: without its ranking) gives the paginator its count.
        filterset = getattr(view, "filterset", None)
        count = getattr(filterset, "selection_count", None)
        if count is not None:
            self.django_paginator_class = partial(CountedPaginator, count=count)
        # A search's results may be read tier by tier (partnerships/search.py, NameTiers).
        pages_of = getattr(filterset, "pages_of", None)
        if pages_of is not None:
            queryset = pages_of(queryset)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
                parameter["description"] = _("Numéro de la page")
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
                parameter["description"] = _(
                    "Nombre de lignes par page (%(default)s par défaut, %(max)s au plus)"
                ) % {"default": self.page_size, "max": self.max_page_size}
        return parameters


class CSVRenderer(BaseRenderer):
    """A list (or one object) as CSV, flattened like the list page's export, with a UTF-8 BOM.

    The rows are the JSON rows: for a paginated list, the current page's `results`.
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, dict) and "results" in data:
            rows = data["results"]
        elif isinstance(data, list):
            rows = data
        else:
            rows = [data] if data else []
        return documents_as_csv(rows).encode("utf-8")


class XMLFileRenderer(BaseRenderer):
    """A file the view writes itself (the IATI export streams its XML): named here so that the
    schema and the content negotiation know the media type. Never called for the file."""

    media_type = "application/xml"
    format = "xml"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else str(data or "").encode("utf-8")


class FileNegotiation(BaseContentNegotiation):
    """A file comes in its one format whatever the Accept header or ?format= says."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type
