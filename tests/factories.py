import datetime
from decimal import Decimal

import factory
from django.utils.text import slugify

from partnerships import models


class SourceDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.SourceDocument
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"document-{n}")
    title = factory.LazyAttribute(lambda o: f"Document {o.slug}")
    filename = factory.LazyAttribute(lambda o: f"{o.slug}.txt")


class MalianRegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.MalianRegion
        django_get_or_create = ["slug"]

    slug = "kayes"
    number = 1
    name = "Kayes"
    capital = "Kayes"
    latitude = Decimal("14.4469")
    longitude = Decimal("-11.4456")


class CollectivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Collectivity

    country = models.Country.FRANCE
    kind = models.CollectivityKind.COMMUNE
    name = factory.Sequence(lambda n: f"Commune test {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    name_as_printed = factory.LazyAttribute(lambda o: o.name.upper())


class MalianCollectivityFactory(CollectivityFactory):
    country = models.Country.MALI
    malian_region = factory.SubFactory(MalianRegionFactory)


class DomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Domain
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"domaine-{n}")
    position = factory.Sequence(lambda n: 100 + n)
    name = factory.LazyAttribute(lambda o: f"Domaine {o.slug}")


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Partnership

    status = models.PartnershipStatus.DOCUMENTED
    title = factory.Sequence(lambda n: f"Ville {n} / Commune {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))


class PartnershipMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.PartnershipMember

    partnership = factory.SubFactory(PartnershipFactory)
    collectivity = factory.SubFactory(CollectivityFactory)
    side = factory.LazyAttribute(lambda o: o.collectivity.country)
    position = 1


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Contact

    partnership = factory.SubFactory(PartnershipFactory)
    position = factory.Sequence(lambda n: n + 1)
    side = models.Country.FRANCE
    role = models.ContactRole.EXECUTIVE
    name = factory.Sequence(lambda n: f"Prénom NOM{n}")
    email = factory.Sequence(lambda n: f"contact{n}@example.org")


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Action

    partnership = factory.SubFactory(PartnershipFactory)
    position = factory.Sequence(lambda n: n + 1)
    domain_as_printed = "SANTE"
    description = "Construction d'un centre de santé"


class BudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Budget

    partnership = factory.SubFactory(PartnershipFactory)
    position = factory.Sequence(lambda n: n + 1)
    kind = models.BudgetKind.CD_ANNUAL
    amount = Decimal("1000")
    currency = models.Currency.EUR
    amount_eur = Decimal("1000")
    as_printed = "1 000 €"


class PartnershipEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.PartnershipEvent

    partnership = factory.SubFactory(PartnershipFactory)
    key = factory.Sequence(lambda n: f"test-{n}")
    kind = models.EventKind.NEWS
    date = datetime.date(2024, 1, 1)
    precision = models.DatePrecision.YEAR
    description = "Mission sur place"
