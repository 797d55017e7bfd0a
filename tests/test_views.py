"""The public pages on the seeded répertoire: content, personal data, bad input, query counts."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from partnerships.models import (
    Collectivity,
    Contact,
    MalianRegion,
    Partnership,
    PartnershipStatus,
    ReviewItem,
)

from .factories import (
    ActionFactory,
    BudgetFactory,
    CollectivityFactory,
    ContactFactory,
    DomainFactory,
    MalianCollectivityFactory,
    MalianRegionFactory,
    PartnershipFactory,
    PartnershipMemberFactory,
)

pytestmark = pytest.mark.django_db

FICHE = "aix-en-provence-bamako-commune-v"
# Every page with its query count on the seeded data: constant, whatever the number of rows.
PAGES = [
    ("/fr/", 5),
    # The list: its facets are counted in the process's index of the facets' rows
    # (partnerships/facetindex.py), with no query while only facets filter, and so is the
    # list's own count; then one query for the options of each of regions, domains, French
    # regions and départements.
    ("/fr/partenariats/", 8),
    # A search: one more query (the matched passages of the shown page; the search itself is
    # joined to the list's queries), and one per
    # kind of workshop item (6) for the workshops' notes it also finds.
    # The keys of the search's matches are read once (one query): the facets' counts select
    # them in the index (the facets in use are the index's own), the list counts them, and on
    # PostgreSQL their number tells whether there are too many to rank them all (RANKED_MAX).
    # A region filter reads the keys of the region's collectivities first (with_partner_among).
    ("/fr/partenariats/?search=segou&region=segou&domain=sante&ordering=-year", 19),
    ("/fr/partenariats/?search=koutiala", 16),
    ("/fr/partenariats/?division=2008&region=kayes&kind=commune&page=2", 10),
    # the fiche and the collectivity page: one more for the workshop items about them; the
    # fiche one more for its events; its related partnerships are at most three bounded
    # queries (same region and domain, then region only, then domain only), after the keys of
    # its regions' collectivities
    (f"/fr/partenariats/{FICHE}/", 13),
    ("/fr/collectivites/", 1),
    # paginated pages: one more for the count of each list
    ("/fr/collectivites/koutiala/", 6),
    # the divisions, then the regions (today's with their predecessors)
    ("/fr/regions/", 3),
    ("/fr/regions/?division=2008", 2),
    # its partners on either side: listed with their number (at most REGION_PARTNERS_MAX each),
    # tallied in the facets' index, then the keys of the Malian ones placed in the region and
    # the shown of each side read (a tie cut at the last place shown would read its keys by
    # name: none at this size) (the region's collectivities' keys, and the list of domains,
    # counted in the index, as is the list itself)
    ("/fr/regions/kayes/", 13),
    ("/fr/regions/kayes/?division=2008", 12),
    ("/fr/domaines/", 2),
    # its partnerships (counted in the facets' index) and its actions (count, page, budgets),
    # each paginated
    ("/fr/domaines/sante/", 9),
    # the actions: the divisions, the page, its count and its budgets; the facets: the actions
    # per partnership summed under the partner facets, the domains grouped, the budget ranges,
    # the regions, domains and départements listed; the totals by domain (amounts, counts)
    # (filtered: region and département each sum over their own selection)
    ("/fr/actions/", 12),
    ("/fr/actions/?region=kayes&domain=sante&department=03&budget=0-5000&year_min=2000", 13),
    ("/fr/partenariats/export.csv?region=kayes", 10),
    ("/fr/partenariats/export.json", 8),
]


@pytest.mark.parametrize(("url", "queries"), PAGES)
def test_query_count_of_every_page(client, django_assert_num_queries, warm_memory, url, queries):
    with django_assert_num_queries(queries):
        response = client.get(url)
        # An export streams: its queries run while it is read.
        response.getvalue()
    assert response.status_code == 200


# Without a cache shared by every process (no REDIS_URL: settings.FACET_INDEX off), the facets
# are counted from their rows in SQL: two queries (the rows' values grouped, then their scalars
# grouped) for the facets whose filter is not in use, two more for each facet whose filter is,
# and the list's count (with a region, the keys of its collectivities read once more for it).
ROWS_PAGES = [
    ("/fr/partenariats/", 8 + 2 + 1),
    ("/fr/partenariats/?division=2008&region=kayes&kind=commune&page=2", 10 + 2 + 2 * 2 + 2),
    # (and its partners ranked by the link tables: one query a side, where the index reads
    # the Malian ones' keys and each side's shown)
    ("/fr/regions/kayes/", 13 + 1 + 1 - 1),
]


@pytest.mark.parametrize(("url", "queries"), ROWS_PAGES)
def test_query_count_with_the_facets_counted_in_sql(
    client, django_assert_num_queries, settings, warm_memory, url, queries
):
    settings.FACET_INDEX = False
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


def add_rows():
    """More partnerships, partners, contacts, actions and domains in Kayes and in Santé."""
    region = MalianRegionFactory()  # the seeded Kayes (get_or_create)
    domain = DomainFactory(slug="sante")
    koutiala = Partnership.objects.get(slug="alencon-koutiala")
    for i in range(5):
        partnership = PartnershipFactory(title=f"Ville neuve {i} / Commune de Kayes {i}")
        partnership.domains.add(domain)
        PartnershipMemberFactory(partnership=partnership, collectivity=CollectivityFactory())
        PartnershipMemberFactory(
            partnership=partnership, collectivity=MalianCollectivityFactory(malian_region=region)
        )
        ContactFactory(partnership=partnership)
        ActionFactory(partnership=partnership)
        koutiala.domains.add(DomainFactory())


@pytest.mark.parametrize(("url", "queries"), PAGES)
def test_query_count_does_not_grow_with_rows(
    client, django_assert_num_queries, django_capture_on_commit_callbacks, warm_memory, url, queries
):
    # Committed (the search documents are written on commit), as a staff edit would be.
    with django_capture_on_commit_callbacks(execute=True):
        add_rows()
    warm_memory()
    with django_assert_num_queries(queries):
        response = client.get(url)
        response.getvalue()
    assert response.status_code == 200


def test_signed_in_pages_add_only_the_session_and_user(client, django_assert_num_queries):
    client.force_login(get_user_model().objects.create_user("staff", password="x"))
    with django_assert_num_queries(13 + 2):
        assert client.get(f"/fr/partenariats/{FICHE}/").status_code == 200


def test_home(client):
    html = client.get("/fr/").content.decode()
    documented = Partnership.objects.filter(status="documented").count()
    assert f'?status=documented">{documented}</a>' in html
    assert 'href="/fr/regions/kayes/"' in html
    assert 'href="/fr/domaines/sante/"' in html
    assert 'name="search"' in html
    assert "1968" in html and "/fr/partenariats/alencon-koutiala/" in html  # oldest first contact


@pytest.mark.parametrize("kept", [True, False])
def test_the_home_pages_counts_follow_an_edit(
    client, settings, django_capture_on_commit_callbacks, kept
):
    """Kept per data version where every process shares the cache (dataversion.kept): a new
    documented fiche with a new Malian partner is counted by the next home page."""
    settings.FACET_INDEX = kept

    def counts():
        context = client.get("/fr/").context
        return context["by_status"].get("documented", 0), context["collectivities"]["ML"]

    documented, malian = counts()
    assert documented == Partnership.objects.filter(status="documented").count() > 0
    with django_capture_on_commit_callbacks(execute=True):
        partnership = PartnershipFactory(status="documented")
        PartnershipMemberFactory(
            partnership=partnership, collectivity=CollectivityFactory(country="ML")
        )
    assert counts() == (documented + 1, malian + 1)


def test_list_shows_the_selection_and_its_facets(client):
    response = client.get(
        "/fr/partenariats/", {"division": "2008", "region": "kayes", "domain": "eau-assainissement"}
    )
    html = response.content.decode()
    kayes_water = Partnership.objects.filter(
        members__collectivity__malian_region__slug="kayes", domains__slug="eau-assainissement"
    ).distinct()
    assert response.context["page_obj"].paginator.count == kayes_water.count()
    assert 'value="kayes" checked' in html
    assert "/fr/partenariats/alencon-koutiala/" not in html
    shown = {p.slug for p in response.context["partnerships"]}
    assert shown <= {p.slug for p in kayes_water}
    region_facet = next(f for f in response.context["facets"] if f["name"] == "region")
    kayes = next(o for o in region_facet["options"] if o["value"] == "kayes")
    assert kayes["count"] == kayes_water.count() and kayes["selected"]


def test_list_pagination_and_sorting(client):
    page1 = client.get("/fr/partenariats/", {"ordering": "year"}).context["partnerships"]
    page2 = client.get("/fr/partenariats/", {"ordering": "year", "page": 2}).context["partnerships"]
    assert page1[0].slug == "alencon-koutiala"  # 1968, the oldest
    assert not {p.slug for p in page1} & {p.slug for p in page2}
    assert client.get("/fr/partenariats/", {"page": 999}).status_code == 404


def test_search_results_are_ranked(client):
    response = client.get("/fr/partenariats/", {"search": "koutiala"})
    assert response.context["partnerships"][0].slug == "alencon-koutiala"
    assert "« koutiala »" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"region": "atlantide"}, "region"),
        ({"domain": "x"}, "domain"),
        ({"contacts_start_year_min": "19x8"}, "contacts_start_year_min"),
        ({"decade": "1975"}, "decade"),
        ({"ordering": "price"}, "ordering"),
        ({"page": "deux"}, "page"),
    ],
)
def test_malformed_parameters_are_400_naming_them(client, params, name):
    for url in ["/fr/partenariats/", "/fr/partenariats/export.csv"]:
        if name == "page" and "export" in url:
            continue
        response = client.get(url, params)
        assert response.status_code == 400
        assert f"<code>{name}</code>" in response.content.decode()


def test_export_links_keep_the_selection(client):
    params = {"division": "2008", "region": "kayes", "page": 2}
    html = client.get("/fr/partenariats/", params).content.decode()
    assert 'href="/fr/partenariats/export.csv?division=2008&amp;region=kayes"' in html
    assert 'href="/fr/partenariats/export.json?division=2008&amp;region=kayes"' in html


def test_json_export_of_the_selection(client):
    response = client.get("/fr/partenariats/export.json", {"division": "2008", "region": "kidal"})
    assert response["Content-Type"].startswith("application/json")
    documents = json.loads(response.getvalue())
    expected = set(
        Partnership.objects.filter(members__collectivity__malian_region__slug="kidal").values_list(
            "slug", flat=True
        )
    )
    assert {d["slug"] for d in documents} == expected
    assert all("contacts" not in d for d in documents)


def test_csv_export_of_the_selection(client):
    response = client.get("/fr/partenariats/export.csv", {"collectivity": "koutiala"})
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert [row["slug"] for row in rows] == ["alencon-koutiala"]
    assert "Koutiala" in rows[0]["malian_partners"]


def test_fiche_shows_what_the_repertoire_prints(client):
    partnership = Partnership.objects.get(slug=FICHE)
    html = client.get(f"/fr/partenariats/{FICHE}/").content.decode()
    for text in [
        "Partie française",
        "Partie malienne",
        'href="/fr/collectivites/aix-en-provence/"',
        "Convention signé en 2003",
        "200 000 euros",
        "Centre Hospitalier Général",
        "Accompagnement, renforcement des capacités des acteurs locaux",
        "<details",
        "Etude sur le système de santé au Mali",
        f"page {partnership.source_page}",
        f"ligne {partnership.source_line}",
        "/fr/partenariats/aimf-bamako-district/",  # another partnership in the District de Bamako
    ]:
        assert text in html, text
    assert "200\u00a0000\u00a0€" in html  # the budget in euros (partnerships.money.format_eur)


def test_fiche_says_when_its_actions_table_is_uncertain(client):
    html = client.get("/fr/partenariats/chilly-mazarin-diema/").content.decode()
    assert "ne permet pas de placer sûrement chaque cellule" in html
    assert '<details class="verbatim" open>' in html
    certain = client.get("/fr/partenariats/draveil-sandare/").content.decode()
    assert "ne permet pas de placer sûrement chaque cellule" not in certain
    assert '<details class="verbatim">' in certain


def test_fiche_shows_each_partner_as_this_fiche_prints_it(client):
    # the District's record keeps "BAMAKO" (Grand Lyon's fiche); this list prints "Bamako"
    html = client.get("/fr/partenariats/acheres-district-de-bamako/").content.decode()
    assert "Sur cette fiche : Bamako" in html
    group = client.get(
        reverse("partnership_detail", args=["pontcharra-dembella-benkadi-jlendio-fella"])
    ).content.decode()
    assert "14 000 habitants pour l'ensemble des partenaires" in group


def test_fiche_marks_open_review_items(client):
    with_items = Partnership.objects.filter(review_items__resolved_at__isnull=True).first()
    assert "à vérifier" in client.get(f"/fr/partenariats/{with_items.slug}/").content.decode()
    without = (
        Partnership.objects.filter(status="documented")
        .exclude(review_items__resolved_at__isnull=True)
        .first()
    )
    if without:
        assert "à vérifier" not in client.get(f"/fr/partenariats/{without.slug}/").content.decode()


def test_listed_partnership_gets_a_short_page(client):
    listed = Partnership.objects.filter(status=PartnershipStatus.LISTED).first()
    html = client.get(f"/fr/partenariats/{listed.slug}/").content.decode()
    assert "ne fait que citer ce couple" in html
    assert "Actions menées" not in html
    assert client.get("/fr/partenariats/pas-de-fiche/").status_code == 404


def contact_data():
    """(slug, [e-mails and phones]) of every partnership naming someone's coordinates."""
    data = {}
    for contact in Contact.objects.select_related("partnership"):
        # Only real coordinates: the répertoire sometimes prints a stray word in those cells.
        values = [
            v
            for v in (contact.email, contact.phone, contact.fax)
            if "@" in v or sum(c.isdigit() for c in v) >= 6
        ]
        if values:
            data.setdefault(contact.partnership.slug, []).extend(values)
    return data


def test_anonymous_visitors_never_see_an_email_or_phone(client):
    data = contact_data()
    assert len(data) > 30
    for slug, values in data.items():
        html = client.get(f"/fr/partenariats/{slug}/").content.decode()
        for value in values:
            assert value not in html, (slug, value)
    html = client.get("/fr/partenariats/aimf-bamako-district/").content.decode()
    assert "Coordonnées de l’exécutif" in html  # the role is shown


def test_signed_in_users_see_emails_and_phones(client):
    client.force_login(get_user_model().objects.create_user("staff", password="x"))
    html = client.get("/fr/partenariats/aimf-bamako-district/").content.decode()
    assert "sp@aimf.asso.fr" in html
    assert "01 44 88 22 88" in html


def test_free_text_coordinates_are_hidden_from_anonymous_visitors(client):
    partnership = PartnershipFactory(
        technical_partners="ONG Sahel, M. Diarra, tél. 00 223 222 33 44, diarra@example.ml"
    )
    html = client.get(f"/fr/partenariats/{partnership.slug}/").content.decode()
    assert "ONG Sahel" in html
    assert "222 33 44" not in html and "diarra@example.ml" not in html
    client.force_login(get_user_model().objects.create_user("staff", password="x"))
    html = client.get(f"/fr/partenariats/{partnership.slug}/").content.decode()
    assert "00 223 222 33 44" in html and "diarra@example.ml" in html


def test_collectivity_page(client):
    html = client.get("/fr/collectivites/koutiala/").content.decode()
    assert "Sikasso" in html
    assert "/fr/partenariats/alencon-koutiala/" in html
    assert "/fr/partenariats/angers-bamako/" not in html
    assert client.get("/fr/collectivites/nulle-part/").status_code == 404


def test_region_page(client):
    response = client.get("/fr/regions/kayes/", {"division": "2008"})
    html = response.content.decode()
    # 20 partnerships a page, by title: Paris / Cercle de Yélimané is on the second.
    assert (
        "/fr/partenariats/paris-cercle-de-yelimane/"
        in client.get("/fr/regions/kayes/?division=2008&page=2").content.decode()
    )
    assert "/fr/partenariats/alencon-koutiala/" not in html
    assert 'href="/fr/collectivites/paris/"' in html  # a French collectivity present in Kayes
    in_kayes = Partnership.objects.filter(
        members__collectivity__malian_region__slug="kayes"
    ).distinct()
    assert response.context["page_obj"].paginator.count == in_kayes.count()


def test_domain_page(client):
    response = client.get("/fr/domaines/eau-assainissement/")
    html = response.content.decode()
    assert "/fr/partenariats/bures-sur-yvette-korera-kore/" in html
    assert "/fr/partenariats/aix-en-provence-bamako-commune-v/" not in html
    assert {r.slug for r in response.context["regions"]}
    assert client.get("/fr/domaines/inconnu/").status_code == 404


def test_index_pages(client):
    assert "Kidal" in client.get(reverse("region_list")).content.decode()
    assert "Santé" in client.get(reverse("domain_list")).content.decode()
    assert "Koutiala" in client.get(reverse("collectivity_list")).content.decode()


def test_language_switch_on_every_page_leads_to_the_same_page_in_english(client):
    pages = [
        (reverse("home"), "/en/"),
        (reverse("partnership_list") + "?region=kayes", "/en/partenariats/?region=kayes"),
        (reverse("partnership_detail", args=[FICHE]), f"/en/partenariats/{FICHE}/"),
        (reverse("region_detail", args=["kayes"]), "/en/regions/kayes/"),
    ]
    for url, english in pages:
        assert url.startswith("/fr/")
        html = client.get(url).content.decode()
        assert f'href="{english.replace("&", "&amp;")}" hreflang="en"' in html
    html = client.get("/en/partenariats/").content.decode()
    assert '<html lang="en">' in html
    assert "Partnerships" in html
    assert 'href="/fr/partenariats/" hreflang="fr"' in html


def test_pages_without_a_language_prefix_keep_the_switch_form(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": reverse("login")})
    assert response.status_code == 302
    html = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in html
    assert 'action="/i18n/setlang/"' in html


def test_review_items_resolved_are_not_marked(client):
    partnership = PartnershipFactory()
    item = ReviewItem.objects.filter(partnership__isnull=False).first()
    ReviewItem.objects.create(
        key="test-resolved",
        source=item.source,
        line=1,
        kind="test",
        message="ok",
        partnership=partnership,
        resolved_at="2026-01-01T00:00:00Z",
    )
    assert "à vérifier" not in client.get(f"/fr/partenariats/{partnership.slug}/").content.decode()


def test_coordinates_in_the_repertoire_texts_are_hidden_from_anonymous_visitors(client):
    slug = "grand-lyon-mairie-du-district-de-bamako"  # its technical partners give phones
    fiche = client.get(f"/fr/partenariats/{slug}/").content.decode()
    export = (
        client.get(reverse("partnership_export_json"), {"search": "Grand Lyon"}).getvalue().decode()
    )
    for text in (fiche, export):
        assert slug in text
        assert "p.berger@urbalyon.org" not in text
        assert "78 63 43 09" not in text
    # Years, periods and amounts are not mistaken for phone numbers.
    actions = client.get("/fr/partenariats/roncq-selinkegny/").content.decode()
    assert "1991-1997" in actions
    client.force_login(get_user_model().objects.create_user("staff", password="x"))
    export = (
        client.get(reverse("partnership_export_json"), {"search": "Grand Lyon"}).getvalue().decode()
    )
    assert "p.berger@urbalyon.org" in export


def test_the_site_search_also_finds_the_workshops_notes(client):
    page = client.get("/fr/partenariats/", {"search": "Niafunké"}).content.decode()
    assert "Dans les notes des ateliers" in page
    assert "#reponse-13" in page  # the Allier's answer to the 2016 questionnaire
    page = client.get("/fr/partenariats/", {"search": "Koutiala"}).content.decode()
    assert "#reponse-13" not in page
    assert "Dans les notes des ateliers" not in client.get("/fr/partenariats/").content.decode()


@pytest.mark.parametrize("most", [3, 60])
def test_a_region_pages_partners_from_the_index_are_the_querys(
    client, settings, facet_index, monkeypatch, most
):
    """Every region page of every division ranks the same French and Malian partners, with
    the same numbers, whether tallied in the process's index (facetrows.partners_under) or
    grouped by the query over the link tables; with 3 shown, those tied at the last place are
    cut by name in both."""
    from partnerships import facetrows, views
    from partnerships.models import REPERTOIRE_DIVISION, AdministrativeUnit, Division

    monkeypatch.setattr(views, "REGION_PARTNERS_MAX", most)
    pages = [(REPERTOIRE_DIVISION, r.slug, r.pk) for r in MalianRegion.objects.all()]
    for division in Division.objects.exclude(slug=REPERTOIRE_DIVISION):
        units = AdministrativeUnit.objects.in_division(division).regions()
        pages += [(division.slug, unit.slug, unit.pk) for unit in units]

    def partners(division, slug):
        url = reverse("region_detail", args=[slug]) + f"?division={division}"
        context = client.get(url).context
        return [
            (side["total"], [(c.pk, c.partnership_count) for c in side["list"]])
            for side in (context["french_collectivities"], context["malian_collectivities"])
        ]

    shown = cut_ties = 0
    for division, slug, key in pages:
        settings.FACET_INDEX = True
        from_index = partners(division, slug)
        counts = facetrows.partners_under(facetrows.region_value(division, key))
        settings.FACET_INDEX = False
        assert from_index == partners(division, slug), (division, slug)
        french = from_index[0][1]
        shown += len(french)
        if french and len(french) == most:
            last = min(n for _key, n in french)
            tied = [k for k, n in counts["FR"].items() if n == last]
            cut_ties += len(tied) > sum(1 for _key, n in french if n == last)
    assert shown > 50
    if most == 3:
        assert cut_ties >= 3


def test_a_region_page_lists_the_most_partnered_when_there_are_many(client, monkeypatch):
    from partnerships import views

    monkeypatch.setattr(views, "REGION_PARTNERS_MAX", 3)
    response = client.get("/fr/regions/kayes/?division=2008")
    french = response.context["french_collectivities"]
    region = MalianRegion.objects.get(slug="kayes")
    everyone = (
        Collectivity.objects.filter(
            country="FR", memberships__partnership__in=Partnership.objects.in_regions([region])
        )
        .with_partnership_count()
        .order_by("-partnership_count")
    )
    assert french["total"] == everyone.count() > 3
    counts = [c.partnership_count for c in everyone]
    assert sorted((c.partnership_count for c in french["list"]), reverse=True) == counts[:3]
    html = response.content.decode()
    assert f"Les 3 plus actives sur {french['total']}, par ordre alphabétique." in html
    assert 'href="/fr/partenariats/?division=2008&amp;region=kayes#list"' in html


def test_a_fiches_action_rows_escape_mask_and_break_lines_as_the_template_did(client):
    """The actions table's rows are written by a template tag (directory.action_rows), not a
    template loop: each cell is still escaped, masked for the reader and broken into lines."""
    partnership = PartnershipFactory(slug="lignes-d-actions")
    domain = DomainFactory(slug="sante-test", name="Santé & hygiène")
    action = ActionFactory(
        partnership=partnership,
        domain=domain,
        domain_as_printed='SANTE "<b>"',
        description="<script>alert(1)</script>\r\nappeler le 04 42 91 91 29",
        period_as_printed="2005\r2007",
        budget_as_printed="1 000 € (total)",
    )
    ActionFactory(partnership=partnership, domain=None, domain_as_printed="<i>DIVERS</i>")
    for position, kind, amount in ((1, "action", "600"), (2, "total", "1000")):
        BudgetFactory(
            partnership=partnership,
            action=action,
            position=position,
            kind=kind,
            amount=Decimal(amount),
        )
    url = reverse("partnership_detail", args=["lignes-d-actions"])
    html = client.get(url).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;<br>" in html
    assert (
        "04 42 91 91 29" not in html
        and "[coordonnées réservées aux utilisateurs connectés]" in html
    )
    assert '<a href="/fr/domaines/sante-test/">Santé &amp; hygiène</a><br>' in html
    assert '<span class="small printed">SANTE &quot;&lt;b&gt;&quot;</span>' in html
    assert '<th scope="row">&lt;i&gt;DIVERS&lt;/i&gt;</th>' in html
    assert '<td data-label="Période">2005<br>2007</td>' in html
    # Amounts in the reader's language, with no-break spaces; the total said so.
    assert (
        '<td class="num" data-label="En euros">600\u00a0€<br>1\u00a0000\u00a0€ (total)</td>' in html
    )
    client.force_login(get_user_model().objects.create_user("staff", password="x"))
    html = client.get(url).content.decode()
    assert "appeler le 04 42 91 91 29" in html
    english = client.get(url.replace("/fr/", "/en/", 1)).content.decode()
    assert '<td data-label="Period">2005<br>2007</td>' in english
    assert "€600<br>€1,000 (total)" in english
