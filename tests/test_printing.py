"""partnerships/printing.py, the PDF pages and print_repertoire: the printable répertoire, typeset
by WeasyPrint, read back as a person would (pdftoppm to PNG pages, pdftotext for the words)."""

import re
import subprocess

import pytest
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
    # sub-themes; and the regions of the annexe when the edition is the whole directory's.
    kidal = MalianRegion.objects.get(slug="kidal")
    with django_assert_num_queries(9):
        printing.edition(kidal)
    PartnershipMemberFactory(
        partnership=PartnershipFactory(title="Ville / Kidal"),
        collectivity=MalianCollectivityFactory(name="Essouk", malian_region=kidal),
        side="ML",
    )
    with django_assert_num_queries(9):
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
    # Signed-in readers are never served the public copy, nor cached.
    client.force_login(django_user_model.objects.create_user("lecteur"))
    client.get(url)
    client.get(url)
    assert len(typeset) == 4
    assert client.get(reverse("region_repertoire_pdf", args=["atlantide"])).status_code == 404


def test_the_command_prints_a_region_and_refuses_an_unknown_one(tmp_path):
    path = tmp_path / "gao.pdf"
    call_command("print_repertoire", "--region", "gao", "-o", str(path))
    pages, _ = read_pdf(path.read_bytes(), tmp_path)
    gao = MalianRegion.objects.get(slug="gao")
    assert len(fiche_starts(pages)) == len(expected_fiches(gao))
    with pytest.raises(CommandError, match="Région inconnue"):
        call_command("print_repertoire", "--region", "atlantide", "-o", str(path))


@pytest.mark.slow
def test_the_whole_directory_has_every_fiche_on_its_own_pages(client, tmp_path):
    """About 120 pages: a minute or two of typesetting on two cores."""
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
