"""Partners update their own fiche: links by e-mail (hashed, expiring, single use, revocable),
the partner's form without an account, proposals reviewed field by field into the history,
conflicts with staff edits, the campaign page."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from partnerships.models import Contact, Partnership, Proposal, ProposalStatus, UpdateLink
from tests.test_editing import create_groups, edit_url, form_data

pytestmark = pytest.mark.django_db

SLUG = "angers-bamako"
LINK = re.compile(r"https?://\S+/mise-a-jour/(\S+)/")


@pytest.fixture(autouse=True)
def editor_groups():
    create_groups()


@pytest.fixture
def partner():
    """A second browser, without an account (``client`` is the editor's, once signed in)."""
    return Client()


@pytest.fixture
def fiche():
    return Partnership.objects.get(slug=SLUG)


def send(editor_client, slug=SLUG, **data):
    return editor_client.post(reverse("staff_update_send", args=[slug]), data)


def sent_token(message):
    return LINK.search(message.body).group(1)


@pytest.fixture
def token(editor_client, fiche):
    """A link sent to the French side's typed address; its token read from the e-mail."""
    mail.outbox.clear()
    send(editor_client, email="partenaire@ville.example", side="FR")
    return sent_token(mail.outbox[-1])


def partner_url(token):
    return reverse("partner_update", args=[token])


def partner_data(response, **changes):
    """What the partner's browser sends back, with ``changes`` (field name: value)."""
    form = response.context["form"]
    data = {}
    for bound in form:
        value = bound.value()
        if value is None:
            continue
        data[bound.html_name] = value
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


# --- sending links --------------------------------------------------------------------------


def test_a_link_to_a_contact_of_the_fiche_is_mailed_in_french(editor_client, fiche):
    contact = Contact.objects.get(partnership=fiche, email="christine.farges@ville.angers.fr")
    response = send(editor_client, contact=str(contact.pk))
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["christine.farges@ville.angers.fr"]
    assert fiche.title in message.subject
    link = UpdateLink.objects.get()
    expiry = timezone.localtime(link.expires_at)
    assert f"jusqu'au {expiry.day} " in message.body
    assert "aucun compte" in message.body
    assert link.side == "FR" and link.partnership == fiche
    assert link.expires_at - link.created_at == timedelta(days=30)


def test_tokens_are_stored_only_as_their_hash(editor_client, token):
    link = UpdateLink.objects.get()
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = [str(v) for v in UpdateLink.objects.values_list().get()]
    assert not any(token in value for value in stored)
    assert len(token) >= 40


def test_sending_needs_one_address(editor_client, fiche):
    response = send(editor_client)
    assert response.status_code == 200 and not mail.outbox
    assert "Choisissez un contact de la fiche ou tapez une adresse." in response.content.decode()
    response = send(editor_client, email="x@ville.example")  # no side given
    assert response.status_code == 200 and not UpdateLink.objects.exists()


def test_anonymous_visitors_reach_no_staff_page_of_the_updates(partner, token):
    proposal_id = _propose(partner, token, perspectives="Autre chose").pk
    for url in [
        reverse("staff_update_campaign"),
        reverse("staff_update_send", args=[SLUG]),
        reverse("staff_proposal_review", args=[proposal_id]),
    ]:
        assert partner.get(url).status_code == 403
    assert partner.post(reverse("staff_update_revoke", args=[1])).status_code == 403


# --- the partner's page ---------------------------------------------------------------------


def _propose(partner, token, **changes):
    response = partner.get(partner_url(token))
    assert response.status_code == 200
    fields = {f"partnership-{name}": value for name, value in changes.items()}
    reply = partner.post(partner_url(token), partner_data(response, **fields, action="propose"))
    assert reply.status_code == 200, reply.content.decode()[:2000]
    return Proposal.objects.latest("id")


def test_the_partner_opens_the_form_without_an_account_and_proposes(partner, token, fiche):
    page = partner.get(partner_url(token))
    text = page.content.decode()
    assert page.status_code == 200 and fiche.title in text
    assert "no-store" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]
    # The French side's own contacts are in the form, the Malian side's are not.
    assert "christine.farges@ville.angers.fr" in text
    assert "Moussa Badoulaye TRAORE" not in text
    proposal = _propose(partner, token, perspectives="Un jumelage scolaire en 2027.")
    assert [c["key"] for c in proposal.changes] == ["partnership.perspectives"]
    assert proposal.changes[0]["after"] == "Un jumelage scolaire en 2027."
    assert proposal.status == ProposalStatus.PENDING
    assert UpdateLink.objects.get().used_at is not None
    # Nothing reaches the fiche before staff review it.
    assert Partnership.objects.get(slug=SLUG).perspectives == fiche.perspectives


def test_a_used_link_is_refused_with_a_clear_message(partner, token):
    response = partner.get(partner_url(token))
    data = partner_data(response, action="confirm")
    assert partner.post(partner_url(token), data).status_code == 200
    again = partner.get(partner_url(token))
    assert again.status_code == 410
    text = again.content.decode()
    assert "a déjà servi" in text and "nouveau lien" in text
    # A second submission (the form kept open in another tab) makes no second proposal.
    assert partner.post(partner_url(token), data).status_code == 410
    assert Proposal.objects.count() == 1


def test_an_expired_link_is_refused(partner, token):
    UpdateLink.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = partner.get(partner_url(token))
    assert response.status_code == 410
    text = response.content.decode()
    assert "a expiré" in text and "Pour recevoir un nouveau lien, écrivez à" in text


def test_a_link_expiring_while_the_form_is_open_refuses_the_submission(partner, token):
    response = partner.get(partner_url(token))
    UpdateLink.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    reply = partner.post(partner_url(token), partner_data(response, action="confirm"))
    assert reply.status_code == 410 and not Proposal.objects.exists()


def test_an_unknown_or_revoked_link_is_refused(partner, editor_client, token):
    assert partner.get(partner_url("pas-un-jeton")).status_code == 404
    link = UpdateLink.objects.get()
    editor_client.post(reverse("staff_update_revoke", args=[link.pk]))
    response = partner.get(partner_url(token))
    assert response.status_code == 410 and "a été annulé" in response.content.decode()


def test_bad_input_is_refused_and_keeps_the_link(partner, token, fiche):
    contact = Contact.objects.get(partnership=fiche, email="christine.farges@ville.angers.fr")
    response = partner.get(partner_url(token))
    data = partner_data(response, action="propose")
    data[f"contact-{contact.pk}-website"] = "javascript:alert(1)"
    reply = partner.post(partner_url(token), data)
    assert reply.status_code == 200 and "errorlist" in reply.content.decode()
    assert not Proposal.objects.exists() and UpdateLink.objects.get().used_at is None


def test_a_field_changed_by_staff_while_the_partner_types_is_not_proposed_back(
    partner, editor_client, token
):
    response = partner.get(partner_url(token))
    data = form_data(editor_client.get(edit_url()))
    data["presentation"] = "Texte revu par l'équipe."
    editor_client.post(edit_url(), data)
    reply = partner.post(
        partner_url(token), partner_data(response, **{"partnership-perspectives": "Nouveau"})
    )
    assert reply.status_code == 200
    assert [c["key"] for c in Proposal.objects.get().changes] == ["partnership.perspectives"]


# --- review ---------------------------------------------------------------------------------


def review(editor_client, proposal, accept=(), overwrite=(), version=None):
    url = reverse("staff_proposal_review", args=[proposal.pk])
    if version is None:
        version = editor_client.get(url).context["partnership"].version
    return editor_client.post(
        url, {"version": version, "accept": list(accept), "overwrite": list(overwrite)}
    )


def test_staff_accept_some_fields_and_reject_others_into_the_history(
    partner, editor_client, editor, token, fiche
):
    contact = Contact.objects.get(partnership=fiche, email="christine.farges@ville.angers.fr")
    response = partner.get(partner_url(token))
    data = partner_data(
        response,
        **{
            "partnership-perspectives": "Un jumelage scolaire en 2027.",
            "partnership-presentation": "Présentation réécrite par le partenaire.",
            f"contact-{contact.pk}-phone": "02 41 00 00 00",
            "partnership-domains": ["eau-assainissement", "sante"],
        },
        action="propose",
    )
    partner.post(partner_url(token), data)
    proposal = Proposal.objects.get()
    assert len(proposal.changes) == 4
    page = editor_client.get(reverse("staff_proposal_review", args=[proposal.pk]))
    text = page.content.decode()
    assert "02 41 <del>05 40 87</del>" in text and "02 41 <ins>00 00 00</ins>" in text
    reply = review(
        editor_client,
        proposal,
        accept=[
            "partnership.perspectives",
            f"contact.{contact.pk}.phone",
            "partnership.domains",
        ],
    )
    assert reply.status_code == 302
    fiche.refresh_from_db()
    contact.refresh_from_db()
    assert fiche.perspectives == "Un jumelage scolaire en 2027."
    assert fiche.presentation != "Présentation réécrite par le partenaire."
    assert contact.phone == "02 41 00 00 00"
    assert sorted(fiche.domains.values_list("slug", flat=True)) == ["eau-assainissement", "sante"]
    assert fiche.partner_verified_on == timezone.localdate()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REVIEWED and proposal.reviewed_by == editor
    assert proposal.decisions["partnership.presentation"] == "rejected"
    record = fiche.history.latest("history_date")
    assert record.history_change_reason.startswith("Proposition du partenaire du")
    assert record.history_user == editor
    history = editor_client.get(reverse("staff_partnership_history", args=[SLUG])).content
    assert "Un jumelage scolaire en 2027." in history.decode()
    assert "02 41 <ins>00 00 00</ins>" in history.decode()
    # A proposal is reviewed once.
    assert review(editor_client, proposal, version=fiche.version).status_code == 400


def test_a_confirmation_shows_on_the_public_fiche_once_recorded(partner, editor_client, token):
    response = partner.get(partner_url(token))
    partner.post(partner_url(token), partner_data(response, action="confirm"))
    proposal = Proposal.objects.get()
    assert proposal.changes == []
    detail = reverse("partnership_detail", args=[SLUG])
    assert "vérification par le partenaire" not in partner.get(detail).content.decode()
    assert review(editor_client, proposal).status_code == 302
    assert Proposal.objects.get().status == ProposalStatus.CONFIRMED
    date = timezone.localdate()
    text = partner.get(detail).content.decode()
    assert f"Dernière vérification par le partenaire : {date.day} " in text


def test_a_review_sent_after_a_staff_edit_writes_nothing(partner, editor_client, token, fiche):
    proposal = _propose(partner, token, perspectives="Perspectives du partenaire")
    shown_version = fiche.version
    data = form_data(editor_client.get(edit_url()))
    data["perspectives"] = "Perspectives de l'équipe"
    editor_client.post(edit_url(), data)
    reply = review(
        editor_client, proposal, accept=["partnership.perspectives"], version=shown_version
    )
    assert reply.status_code == 200
    assert "a été modifiée pendant que vous examiniez" in reply.content.decode()
    assert Partnership.objects.get(slug=SLUG).perspectives == "Perspectives de l'équipe"
    assert Proposal.objects.get().status == ProposalStatus.PENDING


def test_a_field_edited_by_staff_since_the_partner_saw_it_is_a_conflict(
    partner, editor_client, token
):
    response = partner.get(partner_url(token))
    data = form_data(editor_client.get(edit_url()))
    data["perspectives"] = "Perspectives de l'équipe"
    editor_client.post(edit_url(), data)
    partner.post(
        partner_url(token),
        partner_data(response, **{"partnership-perspectives": "Perspectives du partenaire"}),
    )
    proposal = Proposal.objects.get()
    page = editor_client.get(reverse("staff_proposal_review", args=[proposal.pk]))
    (row,) = page.context["rows"]
    assert row["conflict"]
    assert "Conflit : ce champ a été modifié" in page.content.decode()
    # Accepting it like any other field does not overwrite the staff's edit.
    review(editor_client, proposal, accept=["partnership.perspectives"])
    assert Partnership.objects.get(slug=SLUG).perspectives == "Perspectives de l'équipe"
    assert Proposal.objects.get().decisions == {"partnership.perspectives": "rejected"}


def test_a_conflict_is_overwritten_only_when_staff_say_so(partner, editor_client, token):
    response = partner.get(partner_url(token))
    data = form_data(editor_client.get(edit_url()))
    data["perspectives"] = "Perspectives de l'équipe"
    editor_client.post(edit_url(), data)
    partner.post(
        partner_url(token),
        partner_data(response, **{"partnership-perspectives": "Perspectives du partenaire"}),
    )
    review(editor_client, Proposal.objects.get(), overwrite=["partnership.perspectives"])
    assert Partnership.objects.get(slug=SLUG).perspectives == "Perspectives du partenaire"


def test_review_needs_a_version(partner, editor_client, token):
    proposal = _propose(partner, token, perspectives="x")
    url = reverse("staff_proposal_review", args=[proposal.pk])
    assert editor_client.post(url, {"accept": ["partnership.perspectives"]}).status_code == 400
    assert editor_client.post(url, {"version": "abc"}).status_code == 400


# --- the campaign page ----------------------------------------------------------------------


def test_campaign_sends_to_several_fiches_and_skips_those_without_an_address(editor_client):
    page = editor_client.get(reverse("staff_update_campaign"))
    fiches = {f.slug: f for f in page.context["fiches"]}
    with_fr = [s for s, f in fiches.items() if f.address_fr][:3]
    without_fr = next(s for s, f in fiches.items() if not f.address_fr)
    response = editor_client.post(
        reverse("staff_update_campaign"), {"side": "FR", "fiche": [*with_fr, without_fr]}
    )
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == sorted(fiches[s].address_fr for s in with_fr)
    assert set(UpdateLink.objects.values_list("partnership__slug", flat=True)) == set(with_fr)
    text = editor_client.get(reverse("staff_update_campaign")).content.decode()
    assert "rien envoyé pour" in text and fiches[without_fr].title in text
    for slug in with_fr:
        assert fiches[slug].address_fr in text


def test_campaign_shows_who_was_asked_who_answered_and_what_expired(
    partner, editor_client, editor, token
):
    _propose(partner, token, perspectives="x")
    send(editor_client, email="autre@ville.example", side="ML")
    UpdateLink.objects.filter(email="autre@ville.example").update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    page = editor_client.get(reverse("staff_update_campaign"))
    assert page.context["counts"] == {
        "total": 2,
        "pending": 0,
        "answered": 1,
        "expired": 1,
        "revoked": 0,
    }
    assert [p.link.email for p in page.context["pending"]] == ["partenaire@ville.example"]
    text = page.content.decode()
    assert "expiré sans réponse" in text and "editrice" in text
    expired = editor_client.get(reverse("staff_update_campaign"), {"state": "expired"})
    assert [link.email for link in expired.context["links"]] == ["autre@ville.example"]
    bad = editor_client.get(reverse("staff_update_campaign"), {"state": "nope"})
    assert bad.status_code == 400 and "state" in bad.content.decode()
    assert editor_client.post(reverse("staff_update_campaign"), {"side": "X"}).status_code == 400


def test_campaign_query_count_does_not_grow_with_links(
    partner, editor_client, django_assert_num_queries
):
    for n in range(3):
        send(editor_client, email=f"p{n}@ville.example", side="FR")
    tokens = [sent_token(m) for m in mail.outbox]
    _propose(partner, tokens[0], perspectives="x")
    url = reverse("staff_update_campaign")
    with django_assert_num_queries(10):
        editor_client.get(url)
    for n in range(3, 8):
        send(editor_client, email=f"p{n}@ville.example", side="ML")
    _propose(partner, sent_token(mail.outbox[-1]), perspectives="y")
    with django_assert_num_queries(10):
        response = editor_client.get(url)
    assert len(response.context["links"]) == 8
