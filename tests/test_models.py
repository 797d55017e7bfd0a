from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from partnerships.models import (
    Budget,
    BudgetKind,
    Collectivity,
    Country,
    Currency,
    MalianRegion,
    Partnership,
    PartnershipStatus,
)

from .factories import (
    BudgetFactory,
    CollectivityFactory,
    MalianCollectivityFactory,
    PartnershipFactory,
    PartnershipMemberFactory,
)

pytestmark = pytest.mark.django_db


def test_budget_save_recomputes_the_euro_amount():
    budget = BudgetFactory(
        amount=Decimal("6559.57"), currency=Currency.FRF, amount_eur=Decimal("0")
    )
    budget.refresh_from_db()
    assert budget.amount_eur == Decimal("1000.00")


def test_negative_budget_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetFactory(amount=Decimal("-1"))


def test_malian_region_only_on_malian_collectivities():
    region = MalianRegion.objects.get(slug="kayes")
    with pytest.raises(IntegrityError), transaction.atomic():
        CollectivityFactory(country=Country.FRANCE, malian_region=region)


def test_department_only_on_french_collectivities():
    with pytest.raises(IntegrityError), transaction.atomic():
        MalianCollectivityFactory(department="Essonne")


def test_a_collectivity_is_once_in_a_partnership():
    member = PartnershipMemberFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        PartnershipMemberFactory(partnership=member.partnership, collectivity=member.collectivity)


def test_implausible_year_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        PartnershipFactory(contacts_start_year=1200)


def test_natural_keys_find_the_rows():
    partnership = PartnershipFactory()
    budget = BudgetFactory(partnership=partnership, position=3)
    assert Partnership.objects.get_by_natural_key(*partnership.natural_key()) == partnership
    assert Budget.objects.get_by_natural_key(*budget.natural_key()) == budget
    assert budget.natural_key() == (partnership.slug, 3)
    region = MalianRegion.objects.get(slug="segou")
    assert MalianRegion.objects.get_by_natural_key("segou") == region


def test_partners_are_split_by_side_in_printed_order():
    partnership = PartnershipFactory()
    second = PartnershipMemberFactory(partnership=partnership, position=2)
    first = PartnershipMemberFactory(partnership=partnership, position=1)
    malian = PartnershipMemberFactory(
        partnership=partnership, collectivity=MalianCollectivityFactory()
    )
    fetched = Partnership.objects.for_document().get(pk=partnership.pk)
    assert fetched.french_partners == [first.collectivity, second.collectivity]
    assert fetched.malian_partners == [malian.collectivity]
    assert Collectivity.objects.filter(partnerships=partnership).count() == 3


def test_choice_labels_follow_the_language_and_keep_unknown_values():
    """get_FOO_display reads each field's labels from a dict built once (ChoiceLabels): the
    labels stay lazy, so each reader gets their language, as Django's own."""
    from django.utils import translation

    budget = BudgetFactory(kind=BudgetKind.TOTAL)
    partnership = budget.partnership
    with translation.override("fr"):
        assert budget.get_kind_display() == "total"
        assert partnership.get_status_display() == PartnershipStatus(partnership.status).label
        french = partnership.get_status_display()
    with translation.override("en"):
        english = partnership.get_status_display()
    assert french != english
    with translation.override("en"):
        assert english == str(PartnershipStatus(partnership.status).label)
    # A value outside the choices (old data) is shown as it is stored.
    budget.kind = "legacy"
    assert budget.get_kind_display() == "legacy"
