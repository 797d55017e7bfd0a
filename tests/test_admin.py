"""Staff can already look at and correct the data in the admin: every model, searchable, inlines."""

import pytest
from django.contrib import admin
from django.urls import reverse

from partnerships import models

pytestmark = pytest.mark.django_db

SEEDED_MODELS = [
    models.SourceDocument,
    models.MalianRegion,
    models.Collectivity,
    models.Domain,
    models.DomainLabel,
    models.Partnership,
    models.Action,
    models.Budget,
    models.Contact,
    models.ReviewItem,
]


def test_every_model_is_registered():
    registered = set(admin.site._registry)
    app_models = {m for m in registered if m._meta.app_label == "partnerships"}
    assert set(SEEDED_MODELS) <= app_models


@pytest.mark.parametrize("model", SEEDED_MODELS, ids=lambda m: m.__name__)
def test_changelist_and_search_render(admin_client, model):
    url = reverse(f"admin:partnerships_{model._meta.model_name}_changelist")
    response = admin_client.get(url)
    assert response.status_code == 200
    response = admin_client.get(url, {"q": "Bamako"})
    assert response.status_code == 200


def test_partnership_change_page_shows_its_rows_inline(admin_client):
    partnership = models.Partnership.objects.get(slug="angers-bamako")
    response = admin_client.get(
        reverse("admin:partnerships_partnership_change", args=[partnership.pk])
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Jean-Claude ANTONINI" in page  # a contact, inline
    assert "Fonds de coopération pour Bamako" in page  # the printed budget
    assert "Construction de 6 CLAEC" in page  # an action, inline


def test_search_finds_a_partnership_by_its_partner(admin_client):
    response = admin_client.get(
        reverse("admin:partnerships_partnership_changelist"), {"q": "Koutiala"}
    )
    assert "Alençon / Koutiala" in response.content.decode()
    assert "Angers / Bamako" not in response.content.decode()
