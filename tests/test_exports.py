"""partnerships/exports.py: the streamed exports write, byte for byte, the files the exports
wrote before they streamed (the whole list serialized, then dumped at once: kept below as the
reference), for the list page, the API and export_partnerships, across many chunks."""

import csv
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.http import StreamingHttpResponse
from django.urls import reverse
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

from partnerships import exports, privacy
from partnerships.api import viewsets
from partnerships.api.serializers import (
    ActionResourceSerializer,
    CollectivitySerializer,
    DomainSerializer,
    MalianRegionSerializer,
    PartnershipDocumentSerializer,
)
from partnerships.exports import csv_cell
from partnerships.models import MalianRegion, Partnership

pytestmark = pytest.mark.django_db


def previous_csv(documents) -> str:
    """documents_as_csv before the exports streamed."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    if documents:
        writer = csv.writer(buffer)
        header = list(documents[0].keys())
        writer.writerow([csv_cell(name) for name in header])
        for document in documents:
            writer.writerow([csv_cell(document[key]) for key in header])
    return buffer.getvalue()


def previous_json(documents) -> str:
    """documents_as_json before the exports streamed."""
    return json.dumps(documents, ensure_ascii=False, indent=2, cls=JSONEncoder) + "\n"


def documents(queryset, masker, serializer=PartnershipDocumentSerializer):
    return serializer(queryset, many=True, context={"masker": masker}).data


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    # 148 partnerships in chunks of 7: many chunk boundaries, and a last chunk not full.
    monkeypatch.setattr(exports, "CHUNK_SIZE", 7)


def body(response):
    assert isinstance(response, StreamingHttpResponse)
    return response.getvalue().decode("utf-8")


@pytest.mark.parametrize("contacts", [False, True])
def test_export_partnerships_writes_the_same_files(tmp_path, contacts):
    masker = privacy.SHOW_EVERYTHING if contacts else privacy.current_masker()
    expected = documents(
        Partnership.objects.for_document(contacts=contacts).order_by("slug"), masker
    )
    extra = ["--include-contacts"] if contacts else []
    for fmt, previous in (("json", previous_json), ("csv", previous_csv)):
        path = tmp_path / f"all.{fmt}"
        call_command("export_partnerships", "--format", fmt, "-o", str(path), *extra)
        assert path.read_bytes().decode("utf-8") == previous(expected)
    out = io.StringIO()
    call_command("export_partnerships", *extra, stdout=out)
    assert out.getvalue() == previous_json(expected)
    assert len(json.loads(out.getvalue())) == Partnership.objects.count() > 7 * 20


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_list_page_exports_stream_the_same_files(client, signed_in):
    masker = privacy.current_masker()
    if signed_in:
        client.force_login(get_user_model().objects.create_user("staff", password="x"))
        masker = privacy.SHOW_EVERYTHING
    # The 2008 regions, as the répertoire prints them (in_regions below).
    params = {"division": "2008", "region": ["kayes", "koulikoro", "sikasso"]}
    regions = MalianRegion.objects.filter(slug__in=params["region"])
    expected = documents(
        Partnership.objects.in_regions(regions).for_document(contacts=signed_in), masker
    )
    assert len(expected) > 7
    json_file = client.get(reverse("partnership_export_json"), params)
    assert body(json_file) == previous_json(expected)
    csv_file = client.get(reverse("partnership_export_csv"), params)
    assert body(csv_file) == previous_csv(expected)
    assert csv_file["Content-Disposition"] == 'attachment; filename="partenariats.csv"'
    # An empty selection: an empty list, a CSV of the BOM alone, as before.
    empty = {"search": "aucun partenariat ne contient ceci"}
    assert body(client.get(reverse("partnership_export_json"), empty)) == "[]\n"
    assert body(client.get(reverse("partnership_export_csv"), empty)) == "\ufeff"


def test_the_api_exports_stream_what_the_renderers_wrote(client):
    masker = privacy.current_masker()
    expected = documents(Partnership.objects.for_document(), masker)
    url = reverse("partnership-export")
    json_text = body(client.get(url))
    assert json_text.encode() == JSONRenderer().render(expected)
    assert body(client.get(url, {"format": "csv"})) == previous_csv(expected)

    everything = {
        "partnerships": expected,
        "collectivities": documents(
            viewsets.CollectivityViewSet.queryset.all(), masker, CollectivitySerializer
        ),
        "regions": documents(viewsets.RegionViewSet.queryset.all(), masker, MalianRegionSerializer),
        "domains": documents(viewsets.DomainViewSet.queryset.all(), masker, DomainSerializer),
        "actions": documents(
            viewsets.ActionViewSet.queryset.all(), masker, ActionResourceSerializer
        ),
    }
    response = client.get(reverse("api-export"))
    assert response["Content-Disposition"] == 'attachment; filename="repertoire.json"'
    assert body(response).encode() == JSONRenderer().render(everything)


def test_compact_json_escapes_what_javascript_cannot_read_raw():
    documents = [{"text": "a\u2028b\u2029c", "n": 1.5}, {}]
    assert "".join(exports.json_chunks(documents, compact=True)).encode() == (
        JSONRenderer().render(documents)
    )
    assert "".join(exports.json_chunks([], compact=True)) == "[]"


def test_the_export_reads_the_rows_in_chunks_not_all_at_once(django_assert_num_queries):
    """Each chunk of 7 rows is read with its children: the queries grow with the chunks (the
    price of constant memory), by the prefetches of one chunk each time."""
    count = Partnership.objects.count()
    chunks = -(-count // 7)
    queryset = Partnership.objects.for_document()
    stream = exports.serialized(
        queryset, PartnershipDocumentSerializer, {"masker": privacy.current_masker()}
    )
    first = next(stream)
    assert first["slug"]
    # for_document: the rows, then members, budgets, actions with their budgets, domains,
    # events.
    with django_assert_num_queries(6 * (chunks - 1)):
        rest = list(stream)
    assert len(rest) == count - 1
