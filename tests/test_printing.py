"""partnerships/printing.py, the PDF pages and print_repertoire: the printable répertoire, typeset
by WeasyPrint, read back as a person would (pdftoppm to PNG pages, pdftotext for the words)."""

import re
import subprocess
import threading
import time

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.urls import reverse
from PIL import Image

from partnerships import printing, privacy
from partnerships.models import Contact, MalianRegion, Partnership, PartnershipStatus
from tests.factories import (
    CollectivityFactory,
    DomainFactory,
    MalianCollectivityFactory,
    MalianRegionFactory,
    PartnershipFactory,
    PartnershipMemberFactory,
)

pytestmark = pytest.mark.django_db

FICHE = re.compile(r"Fiche (\d+) sur (\d+)")
# Cover, contents and summary table: the pages before the first fiche of a small edition.
FIXED_PAGES = 3


def read_pdf(pdf: bytes, tmp_path):
    """(text of each page, PNG of each page): pdftotext ends every page with a form feed."""
    path = tmp_path / "edition.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "20", "-png", path, tmp_path / "page"], check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    text = subprocess.run(
        ["pdftotext", path, "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")[:-1]
    assert len(pages) == len(images)
    # No blank page: every PNG has ink on it (a few lines of small type, at 20 dpi, are grey).
    assert all(Image.open(p).convert("L").getextrema()[0] < 250 for p in images)
    return pages, images


def fiche_starts(pages):
    """{fiche number: (page index, total)} of the pages that start a fiche."""
    found = {}
    for index, page in enumerate(pages):
        match = FICHE.search(page)
        if match:
            found[int(match[1])] = (index, int(match[2]))
    return found


def expected_fiches(region=None):
    """The fiches of an edition in its order: documented ones by title, then the others."""
    partnerships = Partnership.objects.order_by("title", "slug")
    if region is not None:
        partnerships = partnerships.in_regions([region])
    return [
        *partnerships.filter(status=PartnershipStatus.DOCUMENTED),
        *partnerships.filter(status=PartnershipStatus.OTHER),
    ]


def words(text):
    return " ".join(text.split())


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts without typeset editions: the seeded data have the same fingerprint
    in every test, so an edition another test left would be served."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def background(monkeypatch):
    """The jobs the site starts in the background, held back: the test runs them
    (``run()``) where a worker's thread would."""
    jobs = []

    def run():
        while jobs:
            jobs.pop(0)()

    monkeypatch.setattr(printing, "in_background", jobs.append)
    return type("Background", (), {"jobs": jobs, "run": staticmethod(run)})


@pytest.fixture
def html_as_pdf(monkeypatch):
    """Typesetting replaced by the HTML it would typeset (the whole directory takes minutes):
    what an edition holds is still read from the database and laid out by the templates."""
    typeset = []

    def render(html):
        typeset.append(html)
        return html.encode()

    monkeypatch.setattr(printing, "render_pdf", render)
    return typeset


def test_a_region_edition_holds_its_fiches_one_per_page_and_no_personal_data(
    client, tmp_path, monkeypatch
):
    kidal = MalianRegion.objects.get(slug="kidal")
    response = client.get(reverse("region_repertoire_pdf", args=["kidal"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="repertoire-kidal.pdf"'
    pages, images = read_pdf(response.content, tmp_path)

    fiches = expected_fiches(kidal)
    starts = fiche_starts(pages)
    assert sorted(starts) == list(range(1, len(fiches) + 1))
    assert {total for _, total in starts.values()} == {len(fiches)}
    assert "Région de Kidal" in pages[0]
    assert "Sommaire" in pages[1]
    assert "Tableau récapitulatif" in pages[2]
    first = starts[1][0]
    assert first == FIXED_PAGES
    for number, fiche in enumerate(fiches, 1):
        assert fiche.title in words(pages[starts[number][0]])
    # The pages after the fiches: the pairs known without a fiche, then the annexe's table.
    listed = Partnership.objects.in_regions([kidal]).filter(status=PartnershipStatus.LISTED)
    assert listed.exists()
    assert "non renseignés" in pages[-2] and "Tableau 1 : Région de Kidal" in pages[-1]
    assert all(p.malian_partners[0].name in pages[-1] for p in listed.for_list())

    text = "\n".join(pages)
    contacts = Contact.objects.filter(partnership__in=fiches, name__contains=" ")
    assert contacts.exists()
    assert [c.name for c in contacts if c.name in text] == []
    assert not privacy.EMAIL.search(text)

    # The same edition again: from the cache, not typeset a second time.
    monkeypatch.setattr(printing, "render_pdf", lambda html: pytest.fail("typeset again"))
    again = client.get(reverse("region_repertoire_pdf", args=["kidal"]))
    assert again.content == response.content


def test_signed_in_readers_get_the_contacts(client, django_user_model, tmp_path):
    client.force_login(django_user_model.objects.create_user("lectrice"))
    kidal = MalianRegion.objects.get(slug="kidal")
    response = client.get(reverse("region_repertoire_pdf", args=["kidal"]))
    pages, _ = read_pdf(response.content, tmp_path)
    text = words("\n".join(pages))
    contacts = Contact.objects.filter(partnership__in=expected_fiches(kidal), name__contains=" ")
    assert contacts.exists() and all(c.name in text for c in contacts)


def test_a_short_edition_takes_exactly_its_fixed_pages_and_one_page_per_fiche(tmp_path):
    region = MalianRegionFactory(slug="taoudenit", number=10, name="Taoudénit", capital="Taoudénit")
    health = DomainFactory(slug="sante")
    for n, name in enumerate(["Araouane", "Boujbeha", "Foum-Elba"]):
        partnership = PartnershipFactory(title=f"Ville {n} / {name}", presentation="Court.")
        PartnershipMemberFactory(
            partnership=partnership, collectivity=CollectivityFactory(name=f"Ville {n}")
        )
        PartnershipMemberFactory(
            partnership=partnership,
            collectivity=MalianCollectivityFactory(name=name, malian_region=region),
            side="ML",
        )
        partnership.domains.set([health])
    listed = PartnershipFactory(title="Ville 9 / Taoudenni", status=PartnershipStatus.LISTED)
    PartnershipMemberFactory(
        partnership=listed,
        collectivity=MalianCollectivityFactory(name="Taoudenni", malian_region=region),
        side="ML",
    )
    edition = printing.edition(region)
    html = printing.render_html(edition, masker=privacy.current_masker())
    pages, images = read_pdf(printing.render_pdf(html), tmp_path)
    # Cover, contents, summary, 3 fiches, the listed pair, the annexe.
    assert len(images) == FIXED_PAGES + 3 + 1 + 1
    starts = fiche_starts(pages)
    assert [index for index, _ in starts.values()] == [3, 4, 5]
    assert "Ville 0 / Araouane" in pages[3] and "Ville 2 / Foum-Elba" in pages[5]
    # The summary table and the annexe give each fiche's page.
    summary = words(pages[2])
    assert "Ville 0 / Araouane (p. 4)" in summary and "Ville 2 / Foum-Elba (p. 6)" in summary
    assert "Taoudenni" in pages[6] and "Tableau 1 : Région de Taoudénit" in pages[7]


def test_an_edition_reads_a_fixed_number_of_queries(django_assert_num_queries):
    # Partnerships, members, budgets, actions and their budgets, domains, events; domains and their
    # sub-themes; and the regions of the annexe when the edition is the whole directory's; a
    # region's edition first reads the keys of its collectivities.
    kidal = MalianRegion.objects.get(slug="kidal")
    with django_assert_num_queries(10):
        printing.edition(kidal)
    PartnershipMemberFactory(
        partnership=PartnershipFactory(title="Ville / Kidal"),
        collectivity=MalianCollectivityFactory(name="Essouk", malian_region=kidal),
        side="ML",
    )
    with django_assert_num_queries(10):
        fiches = printing.edition(kidal).fiches
    assert len(fiches) == len(expected_fiches(kidal)) == 2
    with django_assert_num_queries(10):
        edition = printing.edition()
    assert edition.fiches == expected_fiches()
    assert len(edition.annex) == 9


def test_a_change_gives_a_new_public_edition(client, monkeypatch, django_user_model):
    typeset = []
    monkeypatch.setattr(printing, "render_pdf", lambda html: typeset.append(html) or b"%PDF")
    url = reverse("region_repertoire_pdf", args=["gao"])
    client.get(url)
    client.get(url)
    assert len(typeset) == 1
    partnership = Partnership.objects.in_regions(MalianRegion.objects.filter(slug="gao")).first()
    partnership.perspectives = "Relancer le jumelage."
    partnership.save()
    client.get(url)
    assert len(typeset) == 2 and "Relancer le jumelage." in typeset[1]
    # Signed-in readers are never served the public copy: theirs is typeset, then kept too.
    client.force_login(django_user_model.objects.create_user("lecteur"))
    client.get(url)
    client.get(url)
    assert len(typeset) == 3
    assert client.get(reverse("region_repertoire_pdf", args=["atlantide"])).status_code == 404


def test_the_command_prints_a_region_and_refuses_an_unknown_one(tmp_path):
    path = tmp_path / "gao.pdf"
    call_command("print_repertoire", "--region", "gao", "-o", str(path))
    pages, _ = read_pdf(path.read_bytes(), tmp_path)
    gao = MalianRegion.objects.get(slug="gao")
    assert len(fiche_starts(pages)) == len(expected_fiches(gao))
    with pytest.raises(CommandError, match="Région inconnue"):
        call_command("print_repertoire", "--region", "atlantide", "-o", str(path))


def test_a_miss_on_the_whole_directory_answers_at_once_and_typesets_once(
    client, background, html_as_pdf
):
    url = reverse("repertoire_pdf")
    start = time.monotonic()
    waiting = client.get(url)
    elapsed = time.monotonic() - start
    # Nothing was laid out in the request: the job waits in the background.
    assert html_as_pdf == [] and len(background.jobs) == 1
    assert waiting.status_code == 202 and waiting["Content-Type"].startswith("text/html")
    assert waiting["Retry-After"] == "10" and "no-store" in waiting["Cache-Control"]
    assert "L'édition est en préparation…" in waiting.content.decode()
    assert '<meta http-equiv="refresh" content="10">' in waiting.content.decode()
    print(f"waiting page in {elapsed:.2f} s")
    # Readers who come back before it is done start nothing more: the lock is taken.
    assert client.get(url).status_code == 202
    assert len(background.jobs) == 1
    background.run()
    assert len(html_as_pdf) == 1
    ready = client.get(url)
    assert ready.status_code == 200 and ready["Content-Type"] == "application/pdf"
    assert ready["Content-Disposition"] == 'inline; filename="repertoire.pdf"'
    assert ready.content == html_as_pdf[0].encode()
    assert client.get(url).content == ready.content and len(html_as_pdf) == 1


def test_a_change_of_the_data_makes_the_whole_directory_again(client, background, html_as_pdf):
    url = reverse("repertoire_pdf")
    client.get(url)
    background.run()
    assert client.get(url).status_code == 200
    partnership = Partnership.objects.filter(status=PartnershipStatus.DOCUMENTED).first()
    partnership.perspectives = "Relancer le jumelage."
    partnership.save()
    # The edition of the old state is not served for the new one: a new typesetting starts.
    assert client.get(url).status_code == 202 and len(background.jobs) == 1
    background.run()
    assert "Relancer le jumelage." in html_as_pdf[1]
    assert client.get(url).content == html_as_pdf[1].encode()


def test_the_lock_lets_one_typesetting_run_and_is_freed_after_it(background, html_as_pdf):
    assert printing.warm_in_background() is True
    # Another worker asking for the same edition meanwhile (the lock is in the shared cache).
    assert printing.warm_in_background() is False
    assert len(background.jobs) == 1
    background.run()
    assert printing.cached() == html_as_pdf[0].encode()
    # Once the edition is made, the lock is gone: a later state may be typeset.
    assert printing.warm_in_background() is True


def test_a_failed_typesetting_keeps_its_lock_and_serves_nothing(background, monkeypatch, caplog):
    def fail(html):
        raise OSError("fonts missing")

    monkeypatch.setattr(printing, "render_pdf", fail)
    printing.warm_in_background()
    background.run()
    assert printing.cached() is None
    assert "fonts missing" in caplog.text
    # Not started again at each refresh of the waiting page: the lock expires first.
    assert printing.warm_in_background() is False and background.jobs == []


def test_the_edition_with_contacts_is_never_served_to_anonymous_readers(
    client, django_user_model, background, html_as_pdf
):
    url = reverse("repertoire_pdf")
    contacts = [c.name for c in Contact.objects.filter(name__contains=" ")[:20]]
    assert contacts
    reader = django_user_model.objects.create_user("lectrice")
    client.force_login(reader)
    client.get(url)
    background.run()
    with_contacts = client.get(url).content.decode()
    assert all(name in with_contacts for name in contacts)
    client.logout()
    # The signed-in edition is in the cache, but not under the anonymous reader's key.
    assert client.get(url).status_code == 202
    background.run()
    public = client.get(url).content.decode()
    assert public != with_contacts and [n for n in contacts if n in public] == []
    assert not privacy.EMAIL.search(public)
    # The same for a region's edition, typeset in the request.
    client.force_login(reader)
    kidal = reverse("region_repertoire_pdf", args=["kidal"])
    region_with_contacts = client.get(kidal).content.decode()
    client.logout()
    region_public = client.get(kidal).content.decode()
    assert len(html_as_pdf) == 4
    region_contacts = Contact.objects.filter(
        partnership__in=expected_fiches(MalianRegion.objects.get(slug="kidal")),
        name__contains=" ",
    )
    assert region_contacts.exists()
    assert all(c.name in region_with_contacts for c in region_contacts)
    assert [c.name for c in region_contacts if c.name in region_public] == []


def test_the_background_runs_in_a_thread_of_its_own():
    ran = []
    done = threading.Event()
    printing.in_background(lambda: ran.append(threading.current_thread().name) or done.set())
    assert done.wait(10) and ran == ["print-repertoire"]


def test_the_command_warms_the_editions_the_site_serves(client, django_user_model, html_as_pdf):
    call_command("print_repertoire", "--region", "gao", "--warm", stderr=open("/dev/null", "w"))
    # Both audiences in both languages.
    assert len(html_as_pdf) == 4
    url = reverse("region_repertoire_pdf", args=["gao"])
    assert client.get(url).content in {html.encode() for html in html_as_pdf}
    client.force_login(django_user_model.objects.create_user("lecteur"))
    assert client.get(url).content in {html.encode() for html in html_as_pdf}
    assert len(html_as_pdf) == 4


@pytest.mark.slow
def test_the_whole_directory_has_every_fiche_on_its_own_pages(client, tmp_path, background):
    """About 120 pages: a minute or two of typesetting on two cores."""
    assert client.get(reverse("repertoire_pdf")).status_code == 202
    background.run()
    response = client.get(reverse("repertoire_pdf"))
    pages, images = read_pdf(response.content, tmp_path)
    fiches = expected_fiches()
    starts = fiche_starts(pages)
    assert sorted(starts) == list(range(1, len(fiches) + 1)) and len(fiches) == 70
    # Fiche n+1 starts after fiche n, the first one right after the summary table.
    order = [starts[number][0] for number in sorted(starts)]
    assert order == sorted(set(order)) and "Tableau récapitulatif" in pages[order[0] - 1]
    for number, fiche in enumerate(fiches, 1):
        assert fiche.title in words(pages[starts[number][0]])
    annex = words("\n".join(pages[-4:]))
    for n, region in enumerate(MalianRegion.objects.order_by("number"), 1):
        assert f"Tableau {n} :" in annex and region.name in annex
    text = "\n".join(pages)
    names = [c.name for c in Contact.objects.filter(name__contains=" ")]
    assert [n for n in names if n in text] == []
    assert not privacy.EMAIL.search(text)
    assert len(images) > FIXED_PAGES + len(fiches)
