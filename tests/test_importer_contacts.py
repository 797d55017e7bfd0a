"""Contacts parser, on the real répertoire: values read in the source text, line by line."""

import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from partnerships.importers.contacts import contact_sections, parse_contacts
from partnerships.importers.records import ContactRecord
from partnerships.importers.text import read_lines

SOURCE = (
    Path(__file__).resolve().parent.parent
    / "fixtures/sources/cuf-repertoire-franco-malien-2008.txt"
)
FIELDS = ("name", "function", "address", "phone", "fax", "email", "website")
EMAIL_RE = re.compile(r"^[\w.+-]+@[\w-]+(\.[\w-]+)+$")


@cache
def _sections():
    return {date: (has_malian, rows) for date, has_malian, rows in contact_sections(_lines())}


@cache
def _lines():
    return read_lines(SOURCE)


@cache
def parsed(date_line: int):
    has_malian, rows = _sections()[date_line]
    return parse_contacts(rows, has_malian)


def _all():
    return [(date, *parsed(date)) for date in _sections()]


def contact(date_line: int, line: int, index: int = 0) -> ContactRecord:
    """The index-th record of the block headed at ``line``."""
    return [c for c in parsed(date_line)[0] if c.line == line][index]


def fields(record: ContactRecord) -> dict:
    return {f: getattr(record, f) for f in ("side", "role", "label", *FIELDS)}


def test_seventy_fiches_are_cut():
    sections = _sections()
    assert len(sections) == 70
    # Bron, Conseil régional de Bretagne and Action Mopti print no Malian collectivity.
    assert [d for d, (ml, _) in sections.items() if not ml] == [12648, 12878, 12906]
    assert sections[12906][1] == []  # Action Mopti: free text only, no contact block


def test_aix_en_provence():
    records, report = parsed(182)
    assert [(c.side, c.role, c.line) for c in records] == [
        ("FR", "executive", 200),
        ("ML", "executive", 208),
        ("FR", "elected", 216),
        ("ML", "elected", 221),
        ("FR", "international_relations", 226),
        ("FR", "twinning_committee", 240),
        ("ML", "other", 246),
    ]
    assert fields(records[0]) == {
        "side": "FR",
        "role": "executive",
        "label": "Coordonnées de l’exécutif (maire, président)",
        "name": "Maryse JOISSAINS-MASINI",
        "function": "Maire",
        "address": "Place de l’Hôtel de Ville, 13616",
        "phone": "04 42 91 91 29",
        "fax": None,
        "email": None,
        "website": "www.mairie-aixenprovence.fr",
    }
    demba = records[1]
    assert (demba.name, demba.function, demba.phone, demba.fax, demba.email) == (
        "Demba FANE",
        "Maire",
        "00 223 671 80 53",
        "00 223 228 22 35",
        None,
    )
    louit = records[2]
    assert louit.label == "Élu en charge du partenariat"
    assert (louit.name, louit.function, louit.phone, louit.fax, louit.email) == (
        "Christian LOUIT",
        None,
        "04 42 91 99 93",
        "04 42 91 90 54",
        "boutillono@mairie-aixenprovence.fr",
    )
    assert (records[3].name, records[3].phone, records[3].fax) == (
        "Oumar SIBY",
        "00 223 672 10 92",
        None,
    )
    assert (records[4].name, records[4].email) == (
        "Michèle COUËTMEUR",
        "couetmeurm@mairie-aixenprovence.fr",
    )
    # "en cours de renouvellement" is not a person: kept as printed, in function
    twinning = records[5]
    assert twinning.label == (
        "Président du comité de jumelage (AJRI) et/ou autre personne responsable"
    )
    assert (twinning.name, twinning.function, twinning.phone, twinning.fax, twinning.email) == (
        None,
        "en cours de renouvellement",
        "04 42 16 11 75",
        "04 42 16 11 62",
        "jumelage.aix@wanadoo.fr",
    )
    admin = records[6]
    assert (admin.label, admin.name, admin.email) == (
        "Administrateur responsable",
        "Ousmane Maïga",
        "ousmane.maiga@free.fr",
    )
    # the empty service blocks (lines 230 and 233) give no record; the side of the
    # "Administrateur responsable" block is a guess, reported
    assert [(r.line, r.kind) for r in report] == [(246, "guessed-side")]


def test_alencon_replaced_mayor_and_names_on_heading_lines():
    records, report = parsed(322)
    mayor = contact(322, 341)
    assert fields(mayor) | {"label": None} == {
        "side": "FR",
        "role": "executive",
        "label": None,
        "name": "Joaquim PUEYO",
        "function": "Maire d’Alençon",
        "address": "Pl Mar Foch, BP 362 61000 Alençon",
        "phone": "02 33 32 41 82",
        "fax": None,
        "email": "christine.roimier@ville-alencon.fr",
        "website": "www.ville-alencon.fr",
    }
    replaced = [r for r in report if r.kind == "replaced-name"]
    assert [(r.line, r.value) for r in replaced] == [(342, "Nom : Christine ROIMIER Joaquim PUEYO")]
    koutiala = contact(322, 350)
    assert (koutiala.side, koutiala.name, koutiala.address, koutiala.phone, koutiala.website) == (
        "ML",
        "Oumar DEMBELE",
        "BP 26 Koutiala",
        "(+223) 2 640 106",
        None,
    )
    assert (contact(322, 359).name, contact(322, 359).email) == (
        "Patrick LINDET",
        "patrick.lindet@ville-alencon.fr",
    )
    assert (contact(322, 363).side, contact(322, 363).name) == ("ML", "Thiécoura GOITA")
    ri = contact(322, 367)
    assert (ri.side, ri.name, ri.function, ri.phone) == (
        "FR",
        "Ghislaine MARSE-GUERRA",
        "chargée de Mission",
        "02 33 32 40 19",
    )
    service = contact(322, 374)
    assert (service.side, service.role, service.name, service.function) == (
        "ML",
        "other_service",
        "Modibo Coulibaly",
        "Secrétaire Général",
    )
    assert service.label == "Service(s) de la ville impliqué(s) dans la coopération"
    jourdain = contact(322, 381)
    assert (jourdain.side, jourdain.name, jourdain.function, jourdain.phone, jourdain.email) == (
        "FR",
        "Bernard JOURDAIN",
        "président AJAK",
        "02 33 28 12 98",
        "bernardannick.jourdain@wanadoo.fr",
    )
    berthe = contact(322, 387)
    assert (berthe.side, berthe.name, berthe.phone) == ("ML", "Ibrahima BERTHE", "(+223) 2 640 532")
    # the empty "Autre(s) service(s)" block (line 371) gives no record
    assert len(records) == 8


def test_angers_address_over_two_lines_and_empty_blocks():
    records, report = parsed(741)
    assert [(c.side, c.role) for c in records] == [
        ("FR", "executive"),
        ("ML", "executive"),
        ("FR", "elected"),
        ("FR", "international_relations"),
    ]
    assert records[0].address == (
        "Boulevard de la Résistance et de la Déportation; BP 23527; 49035 Angers Cedex 01"
    )
    assert (records[0].phone, records[0].fax, records[0].email, records[0].website) == (
        "02 41 05 40 00",
        "02 41 05 39 00",
        "mairie.angers@ville.angers.fr",
        "www.angers.fr",
    )
    bamako = records[1]
    assert (bamako.name, bamako.function, bamako.address, bamako.phone, bamako.fax) == (
        "Moussa Badoulaye TRAORE",
        "Maire du District de Bamako",
        "Place de la Liberté BAMAKO MALI",
        "00 223 222 29 46",
        "00 223 222 55 40",
    )
    assert bamako.website == "www.ville-bamako.org"
    assert (records[2].name, records[2].phone, records[2].fax, records[2].email) == (
        "Dominique DE FERRIERES",
        "02 41 05 40 45",
        "02 41 05 39 04",
        None,
    )
    assert (records[3].name, records[3].email) == (
        "Christine FARGES",
        "christine.farges@ville.angers.fr",
    )
    assert report == []


def test_angouleme_two_headings_on_one_line():
    records, report = parsed(902)
    # "Service des relations internationales : Non Service de la ville impliqué dans la
    # coopération :" (line 946) holds the French answer and the Malian heading
    # the French answer is "Non": no contact, not a contact whose function is "Non"
    [service] = [c for c in records if c.line == 946]
    assert (service.side, service.role, service.name, service.label) == (
        "ML",
        "other_service",
        "M. Boubacar KEITA",
        "Service de la ville impliqué dans la coopération",
    )
    diakite = contact(902, 941)
    assert (diakite.side, diakite.name, diakite.phone, diakite.fax, diakite.email) == (
        "ML",
        "Tidiani DIAKITE",
        "00.223.232.08.71/13.62",
        "00.223.232.08.71",
        "tydioml@yahoo.fr",
    )
    lamant = contact(902, 937)
    assert (lamant.name, lamant.phone, lamant.fax, lamant.email) == (
        "Françoise LAMANT",
        "05.45.38.70.60",
        "05.45.38.71.57",
        None,
    )
    segou = contact(902, 929)
    assert (segou.address, segou.email, segou.website) == (
        "BP 90 Ségou -République du Mali",
        "communesegou@yahoo.fr",
        "www.segou.net",
    )
    assert (contact(902, 949).name, contact(902, 949).email) == (
        "Christine GRANET",
        "cdj.ang@wanadoo.fr",
    )
    assert (contact(902, 954).side, contact(902, 954).name, contact(902, 954).phone) == (
        "ML",
        "Chiaka DIARRA",
        "00.223.671.40.85",
    )
    assert report == []


def test_conseil_general_allier():
    records, report = parsed(3053)
    president = contact(3053, 3070)
    assert (president.name, president.function, president.address, president.website) == (
        "Jean-Paul DUFREGNE",
        "Président du Conseil Général",
        "1 av. Victor Hugo – BP 1669 – 03016 MOULINS cedex",
        "www.allier.fr",
    )
    assert president.phone == "04.70.34.40.03"
    cercle = contact(3053, 3079)
    assert (cercle.side, cercle.name, cercle.function, cercle.phone) == (
        "ML",
        "SOGOBA Békaye",
        "Président du Conseil de Cercle",
        "00 223 293 40 61",
    )
    tabutin = contact(3053, 3086)
    assert (tabutin.side, tabutin.name, tabutin.function) == (
        "FR",
        "Michel TABUTIN",
        "Vice-Président du Conseil Général",
    )
    roussat = contact(3053, 3096)
    assert (roussat.name, roussat.function, roussat.phone) == (
        "Madame Anne ROUSSAT",
        "Chef de Service",
        "04.70.34. 40.03",
    )
    rozier = contact(3053, 3110)
    assert (rozier.side, rozier.name, rozier.phone, rozier.fax, rozier.email) == (
        "FR",
        "Jean-Jacques ROZIER",
        "04.70.34.14.55",
        "04.70.34.14.50",
        "chaumard.b@cg03.fr",
    )
    assert len(records) == 5 and report == []


def test_pontcharra_association_as_executive_and_guessed_side():
    records, report = parsed(9786)
    arcade = contact(9786, 9805)
    assert fields(arcade) | {"label": None} == {
        "side": "FR",
        "role": "executive",
        "label": None,
        "name": None,  # an association, not a person: its name goes to the function
        "function": "Arcade, Maître d’œuvre délégué",
        "address": "18 rue Max Franck",
        "phone": "04 79 65 38 20",
        "fax": None,
        "email": "arcade.bureau@wanadoo.fr",
        "website": "arcade-vivre.asso.fr",
    }
    assert (contact(9786, 9813).side, contact(9786, 9813).name) == ("ML", "Zoumana Fane")
    assert (contact(9786, 9821).name, contact(9786, 9826).name) == (
        "Lucette PALLARD",
        "Zoumana Fane",
    )
    le_maire = contact(9786, 9847)
    assert (le_maire.side, le_maire.name, le_maire.function) == ("FR", None, "Le Maire")
    # second slot of the twinning row, but a French number: French, which the number settles
    arcade_president = contact(9786, 9853)
    assert (arcade_president.side, arcade_president.role, arcade_president.phone) == (
        "FR",
        "other",
        "04 79 25 79 54",
    )
    assert arcade_president.label == "Président de l’Arcade autre personne responsable"
    assert report == []


def test_bron_french_column_only():
    records, report = parsed(12648)
    assert [(c.side, c.role) for c in records] == [
        ("FR", "executive"),
        ("FR", "international_relations"),
    ]
    mayor, ri = records
    assert (mayor.name, mayor.function, mayor.address, mayor.phone, mayor.fax) == (
        "Annie Guillemot",
        "Maire",
        "Place de Weingarten",
        "04-72-36-13-13",
        "04-72-36-14-00",
    )
    assert mayor.website == "www.ville-bron.fr"
    assert (ri.name, ri.function, ri.phone, ri.fax, ri.email) == (
        "Joëlle Vallet",
        "Responsable des Affaires Culturelles et des Relations Internationales",
        "04 72 36 13 21",
        "04-72-36-14-00",
        "joelle.vallet@ville-bron.fr",
    )
    assert report == []


def test_conseil_general_ain():
    records, report = parsed(12681)
    assert [(c.side, c.role, c.line) for c in records] == [
        ("FR", "executive", 12695),
        ("FR", "elected", 12711),
        ("FR", "other", 12735),
    ]
    president, elected, project = records
    assert president.label == "Coordonnées de l’exécutif (président)"
    assert (president.name, president.function, president.phone) == (
        "Rachel MAZUIR",
        "Président du Conseil général",
        None,
    )
    assert (elected.name, elected.function, elected.phone, elected.fax) == (
        "Helmut Schwenzer",
        "Vice-président",
        "04 74 32 32 12",
        "04 74 32 33 57",
    )
    assert (
        project.label,
        project.name,
        project.function,
        project.phone,
        project.fax,
        project.email,
    ) == (
        "Autre personne (chargé de projet)",
        "Jean-Marc Prévost",
        "chargé de projet",  # the function is in the heading
        "04 74 32 32 44",
        "04 74 32 33 58",
        "jean-marc.prevost@cg01.fr",
    )
    assert [(r.line, r.kind, r.value) for r in report] == [
        (12696, "replaced-name", "Nom : Charles de la Verpillière Rachel MAZUIR"),
    ]  # the side of "Autre personne" is confirmed by its French numbers: nothing to check


def test_several_people_in_one_block():
    # CG Haut-Rhin: two elected members, each with his own numbers
    striby, habig = [c for c in parsed(3486)[0] if c.line == 3517]
    assert (striby.name, striby.email, habig.name, habig.email) == (
        "Frédéric STRIBY",
        "striby@elus.cg68.fr",
        "Michel HABIG",
        "habig@elus.cg68.fr",
    )
    assert habig.phone == "03.89.83.32.25"
    # Ille-et-Vilaine: two e-mail addresses, the second on its own line
    bertholet = contact(3892, 3951)
    assert bertholet.email == "aivm.valerie@wanadoo.fr, michel.gaillard7@wanadoo.fr"
    assert bertholet.function == "président de l’Association Ille et Vilaine-Mopti"
    # Saint-Denis: one executive per Malian commune
    assert [(c.side, c.name, c.function) for c in parsed(10943)[0] if c.line == 10968] == [
        ("ML", "Gaye GANDEGA", "Djélébou"),
        ("ML", "Amadou KANE", "Karakoro"),
        ("ML", "Koly DIAWARA", "Sahel"),
    ]


def test_a_heading_over_people_each_with_a_role_is_each_ones():
    # Ivry (l. 6860): "ONG AMSCID / Bassirou Diarra, Président / Francis Dembélé, Secrétaire"
    assert [(c.side, c.name, c.function) for c in parsed(6789)[0] if c.line == 6860] == [
        ("ML", "Bassirou Diarra", "ONG AMSCID, Président"),
        ("ML", "Francis Dembélé", "ONG AMSCID, Secrétaire"),
    ]
    # Yvelines (l. 4413): "DCAP / M. TOURE SALIOU … / M. LE PREFET DOUYON", bare names: the
    # heading is the first one's title, not the préfet's
    assert [(c.name, c.function) for c in parsed(4359)[0] if c.line == 4413] == [
        ("M. TOURE SALIOU", "DCAP"),
        ("M. LE PREFET DOUYON", None),
    ]


def test_page_footer_inside_a_block_is_dropped():
    # no footer falls inside a contact block of the 2008 file: put the real one of page 13
    # (line 317) in the middle of Angers' executive address
    footer = _lines()[316]
    assert "13/180" in footer[1]
    has_malian, rows = _sections()[741]
    at = next(i for i, (n, _) in enumerate(rows) if n == 762)
    records, report = parse_contacts([*rows[:at], footer, *rows[at:]], has_malian)
    assert records[0].address == (
        "Boulevard de la Résistance et de la Déportation; BP 23527; 49035 Angers Cedex 01"
    )
    assert records == parsed(741)[0] and report == []


def test_replaced_names_are_reported():
    replaced = {
        (r.line, r.value) for _, _, report in _all() for r in report if r.kind == "replaced-name"
    }
    assert (612, "Nom : Yvon Luby Gilles LEPROUST") in replaced
    assert contact(593, 611).name == "Gilles LEPROUST"
    assert len(replaced) == 14
    # on an elected official's line, two names may be two people: kept whole, and asked
    assert contact(2232, 2265).name == "Francesca DRÉAN Garcia MILAN"
    [two] = [r for _, _, report in _all() for r in report if r.kind == "two-names"]
    assert two.line == 2266 and "Francesca DRÉAN" in two.message
    # a name of three words is not two names
    assert contact(741, 767).name == "Moussa Badoulaye TRAORE"
    assert contact(11825, 11875).name == "Aldiouma Baba Mory YATTARA"


LABEL_RE = re.compile(
    r"\bT[ée]l\b|\bFax\b|@ :|\bNom\s*:|site web|Présentation du partenariat", re.I
)


@pytest.mark.parametrize("field", ["name", "function", "address"])
def test_no_label_or_footer_in_text_fields(field):
    for _, records, _ in _all():
        for record in records:
            value = getattr(record, field)
            if value is None:
                continue
            assert not LABEL_RE.search(value), (record.line, value)
            assert not re.search(r"Répertoire des partenariats|\d+/180", value), value
            assert "@" not in value, (record.line, value)
            assert value == value.strip() and "  " not in value and "\n" not in value


def test_values_are_clean():
    for _, records, _ in _all():
        for record in records:
            assert record.side in ("FR", "ML")
            assert record.role in (
                "executive",
                "elected",
                "international_relations",
                "other_service",
                "twinning_committee",
                "other",
            )
            assert any(getattr(record, f) for f in FIELDS), record  # no empty record
            for f in FIELDS:
                assert getattr(record, f) != "", (record.line, f)
            if record.email:
                for address in record.email.split(", "):
                    assert EMAIL_RE.match(address), (record.line, record.email)
            for number in (record.phone, record.fax):
                if number:
                    assert not re.search(r"T[ée]l|Fax", number, re.I), (record.line, number)
            assert record.label and not record.label.endswith(":")


def test_every_fiche_has_its_executives():
    for date, records, _ in _all():
        if date == 12906:  # Action Mopti: no contact block at all
            assert records == []
            continue
        assert any(c.role == "executive" and c.side == "FR" for c in records), date


def test_counts_by_side_and_role():
    counts = Counter((c.side, c.role) for _, records, _ in _all() for c in records)
    assert counts == {
        ("FR", "executive"): 69,  # one per fiche with contacts (AIMF: its president)
        ("ML", "executive"): 65,  # 63 fiches with a Malian mayor printed, Saint-Denis has 3
        ("FR", "elected"): 57,
        ("ML", "elected"): 27,
        # Angouleme "Non", Bures "néant": no contact
        ("FR", "international_relations"): 47,
        ("FR", "other_service"): 14,  # Morbihan "aucun": no contact
        ("ML", "other_service"): 26,  # Morbihan "aucun"
        ("FR", "twinning_committee"): 38,  # + the treasurer of Sainte-Maure (2925)
        ("ML", "twinning_committee"): 26,  # + Jean Etienne Dakouo (1338)
        ("FR", "other"): 15,
        ("ML", "other"): 13,  # + Moktar DOUCOURE, N'DIAYE and TOGOLA (5162)
    }
    kinds = Counter(r.kind for _, _, report in _all() for r in report)
    assert kinds == {
        "replaced-name": 14,
        "two-names": 1,  # Chilly-Mazarin's elected officials (2266)
        # Aix 246, without any number; where every number of a block is of one country
        # (Pontcharra 9853, AIMF 13187, CR Centre 4766, Montreuil 8790 and 9171) the side
        # follows them and nothing is left to check
        "guessed-side": 1,
        "unreadable-email": 1,  # "@ : Erreur! Signet non défini." (5154)
    }


def test_lower_case_surname_confirmed_by_the_email():
    # Bordeaux: "Direction des coopérations Territoriales et de l’attractivité internationale
    # Anne raimat" / "@ : araimat@cu-bordeaux.fr"
    raimat = contact(5722, 5764)
    assert (raimat.name, raimat.function, raimat.email) == (
        "Anne raimat",
        "Direction des coopérations Territoriales et de l’attractivité internationale",
        "araimat@cu-bordeaux.fr",
    )


def test_several_names_joined_by_et():
    # Braine: "Jean Pierre Fané, président de l’association Wa Zun We et Jean Etienne Dakouo,
    # président de l’association « club espoir »", one number for both
    assert [(c.side, c.name, c.function, c.phone) for c in parsed(1276)[0] if c.line == 1338] == [
        ("ML", "Jean Pierre Fané", "président de l’association Wa Zun We", "00 223 680 85 41"),
        (
            "ML",
            "Jean Etienne Dakouo",
            "président de l’association « club espoir »",
            "00 223 680 85 41",
        ),
    ]
    # Nord-Pas-de-Calais: "Séga SOW et Moktar DOUCOURE (à l’ARK depuis Juillet 2004) / Et sur
    # programmes spécifiques, Messieurs N’DIAYE (depuis octobre 2006) et TOGOLA (depuis …)"
    records, report = parsed(5091)
    assert [(c.side, c.name, c.function) for c in records if c.line == 5162] == [
        ("ML", "Séga SOW", "à l’ARK depuis Juillet 2004"),
        ("ML", "Moktar DOUCOURE", "à l’ARK depuis Juillet 2004"),
        ("ML", "N’DIAYE", "sur programmes spécifiques, depuis octobre 2006"),
        ("ML", "TOGOLA", "sur programmes spécifiques, depuis avril 2007"),
    ]
    assert all(c.email == "arkmali@yahoo.fr" for c in records if c.line == 5162)
    # "Autre(s) personne(s) impliqué(s)" printed under a one-side heading is in its column
    assert [c.side for c in records if c.line == 5145] == ["FR", "FR"]
    assert [(r.line, r.kind) for r in report] == [(5154, "unreadable-email")]


def test_address_printed_in_free_text():
    # Thionville-Gao: "Président du comité de jumelage BP 61 Gao / depuis février 2007   Bana
    # Sidda TOURE"
    toure = contact(11825, 11887)
    assert (toure.side, toure.name, toure.function, toure.address) == (
        "ML",
        "Bana Sidda TOURE",
        "depuis février 2007",
        "BP 61 Gao",
    )
    assert toure.fax == "00.223.282.02.58 (Ali Badi MAIGA)"
    # Thionville-Siby: " AS.DE.K.  B.P. 3002 Bamako :" under Namory KEITA
    keita = contact(12116, 12180)
    assert (keita.name, keita.function, keita.address) == (
        "Namory KEITA",
        "AS.DE.K.",
        "B.P. 3002 Bamako",
    )
    # Haut-Rhin: the associations print their street after their name
    ircod, afdi = [c for c in parsed(3486)[0] if c.line == 3540]
    assert (ircod.name, ircod.function, ircod.address) == (
        None,
        "Institut Régional de Coopération Développement (IRCOD)",
        "17 rue de Boston – 67000 STRASBOURG",
    )
    assert afdi.address == "11 rue Jean Mermoz – 68127 SAINTE-CROIX-EN-PLAINE"
    # Montreuil: "Adresse :, Maison de l’Amitié…" keeps no stray comma
    assert contact(9112, 9149).address == "Maison de l’Amitié, Yélimané, Région de Kayes, Mali"


def test_a_personal_email_goes_to_its_owner_only():
    # Hautes-Pyrénées: two people, then "@ : mailto:delphine.pambrun@cg65.fr"
    larroche, pambrun = [c for c in parsed(3677)[0] if c.line == 3723]
    assert (larroche.name, larroche.email, larroche.phone) == (
        "Jean-Michel LARROCHE",
        None,
        "05.62.56.77.82",  # the service's number stays shared
    )
    assert (pambrun.name, pambrun.email) == ("Delphine PAMBRUN", "delphine.pambrun@cg65.fr")
    # Ille-et-Vilaine: "Chef de service : Thomas LAGATHU / Chargée de mission : Emilie BECOUZE"
    lagathu, becouze = [c for c in parsed(3892)[0] if c.line == 3937]
    assert (lagathu.email, becouze.email) == (None, "emilie.becouze@cg35.fr")
    # La Fouillouse: "Félix Forestier / Francois JACOUTET … @ : feforestier@wanadoo.fr"
    forestier, jacoutet = [c for c in parsed(7217)[0] if c.line == 7273]
    assert (forestier.email, jacoutet.name, jacoutet.email) == (
        "feforestier@wanadoo.fr",
        "Francois JACOUTET",
        None,
    )
    # a generic address printed under two names is still shared: Haut-Rhin
    fuchs, edel = [c for c in parsed(3486)[0] if c.line == 3534]
    assert fuchs.email == edel.email == "action.transfrontaliere@cg68.fr"
    # Sainte-Maure: "@ : Trésorier :  bertrand.marcatel@wanadoo.fr" is the treasurer's
    barillet, treasurer = [c for c in parsed(2859)[0] if c.line == 2921]
    assert (barillet.name, barillet.function, barillet.email) == (
        "Claudie BARILLET",
        "Présidente",
        None,
    )
    assert (treasurer.side, treasurer.name, treasurer.function, treasurer.email) == (
        "FR",
        None,
        "Trésorier",
        "bertrand.marcatel@wanadoo.fr",
    )


def test_replaced_name_report_tells_whose_email_is_kept():
    report = {r.line: r.message for _, _, items in _all() for r in items}
    # Alençon: "Nom : Christine ROIMIER   Joaquim PUEYO", "@ : christine.roimier@…"
    assert contact(322, 341).email == "christine.roimier@ville-alencon.fr"  # as printed
    assert "christine.roimier@ville-alencon.fr" in report[342]
    assert "ancien titulaire" in report[342]
    assert "yvon.luby@ville-allonnes.fr" in report[612]
    assert "cabdumaire.tavernier@wanadoo.fr" in report[6034]
    # Braine: the town hall's address is nobody's: nothing to add
    assert "ancien titulaire" not in report[1294]


def test_fillers_are_not_contacts():
    # "Service des relations internationales : / néant" (Bures), "coopération : aucun" (Morbihan)
    assert [c for c in parsed(1370)[0] if c.line == 1415] == []
    assert [c for c in parsed(4209)[0] if c.line in (4259, 4263)] == []
    # a statement is kept as printed
    assert [c.function for c in parsed(4209)[0] if c.line in (4270, 4273)] == [
        "pas de comité de jumelage",
        "pas de comité de jumelage",
    ]
    # "Tél : 02.40.80.85.33. Fax : 02.40.80.86.49.": the final dots are not kept
    guerriau = contact(11385, 11402)
    assert (guerriau.phone, guerriau.fax) == ("02.40.80.85.33", "02.40.80.86.49")


def test_side_guessed_from_the_position_alone_is_reported():
    records, report = parsed(182)
    maiga = contact(182, 246)
    assert (maiga.side, maiga.name, maiga.email) == ("ML", "Ousmane Maïga", "ousmane.maiga@free.fr")
    [item] = report
    assert (item.line, item.kind, item.field) == (246, "guessed-side", "side")
    assert "aucun numéro" in item.message
