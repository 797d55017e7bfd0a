from django.db.models import Count, Min
from django.shortcuts import render

from .models import Collectivity, Domain, MalianRegion, Partnership


def home(request):
    by_status = dict(
        Partnership.objects.values_list("status").annotate(n=Count("id")).order_by("status")
    )
    context = {
        "by_status": by_status,
        "collectivities": dict(
            Collectivity.objects.values_list("country").annotate(n=Count("id")).order_by("country")
        ),
        "regions": MalianRegion.objects.annotate(
            n=Count("collectivities__memberships__partnership", distinct=True)
        ),
        "domains": Domain.objects.annotate(n=Count("partnerships", distinct=True)),
        "oldest": Partnership.objects.aggregate(year=Min("contacts_start_year"))["year"],
    }
    return render(request, "partnerships/home.html", context)
