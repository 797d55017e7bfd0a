"""The production profile: static files compressed with far-future cache headers (whitenoise),
HTML and JSON gzipped, PostgreSQL's statement_timeout on web connections (not on manage.py's),
and bench/generate.py scaling the seeded répertoire with valid relations."""

import gzip
import os
import random
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Q
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import reverse
from whitenoise.middleware import WhiteNoiseMiddleware

from bench.generate import Writer, collectivity_pools, generate
from partnerships.models import (
    Action,
    Budget,
    Collectivity,
    Country,
    Partnership,
    PartnershipMember,
)
from partnerships.money import to_eur
from tests.test_settings import setting

COMPRESSED_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_production_settings_collect_hashed_compressed_static_files():
    assert COMPRESSED_STORAGE in setting("STORAGES")
    assert COMPRESSED_STORAGE not in setting("STORAGES", DJANGO_DEBUG="1")


def test_whitenoise_serves_collected_files_compressed_and_cached_for_years(tmp_path):
    source = tmp_path / "static"
    (source / "css").mkdir(parents=True)
    # Whitenoise compresses only what compression makes smaller: a real stylesheet.
    (source / "css" / "site.css").write_bytes(
        (settings.BASE_DIR / "static/css/site.css").read_bytes()
    )
    collected = tmp_path / "collected"
    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": COMPRESSED_STORAGE}}
    with override_settings(
        DEBUG=False,
        STATIC_ROOT=collected,
        STATICFILES_DIRS=[source],
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
        STORAGES=storages,
    ):
        call_command("collectstatic", "--noinput", verbosity=0)
        hashed = staticfiles_storage.url("css/site.css")
        middleware = WhiteNoiseMiddleware(lambda request: HttpResponse("the site"))
        request = RequestFactory().get(hashed, HTTP_ACCEPT_ENCODING="gzip, deflate")
        response = middleware(request)
        assert response.status_code == 200
        assert response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]
        assert response["Cache-Control"] == "max-age=315360000, public, immutable"
        content = gzip.decompress(b"".join(response.streaming_content))
        assert content == (source / "css" / "site.css").read_bytes()
        # The name without its hash may change any day: cached for a minute only.
        plain = middleware(RequestFactory().get(settings.STATIC_URL + "css/site.css"))
        assert plain["Cache-Control"] == "max-age=60, public"
        assert "Content-Encoding" not in plain
    assert hashed != "/static/css/site.css"


@pytest.mark.django_db
def test_html_and_json_are_gzipped_for_clients_that_accept_it(client):
    for url in (reverse("partnership_list"), reverse("partnership-list")):
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200
        assert response["Content-Encoding"] == "gzip", url
        assert b"angers-bamako" in gzip.decompress(response.content)
        plain = client.get(url)
        assert not plain.has_header("Content-Encoding")
        assert len(plain.content) > len(response.content)
    export = client.get(reverse("partnership_export_json"), HTTP_ACCEPT_ENCODING="gzip")
    assert export["Content-Encoding"] == "gzip"
    assert b'"slug": "angers-bamako"' in gzip.decompress(export.getvalue())


postgresql_only = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="statement_timeout is PostgreSQL's",
)


def statement_timeout(setting="statement_timeout", **env):
    """SHOW ``setting`` on a new connection of a process started with ``env``."""
    code = (
        "import django; django.setup(); from django.db import connection; "
        f"c = connection.cursor(); c.execute('SHOW {setting}'); print(c.fetchone()[0])"
    )
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_STATEMENT_TIMEOUT"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        env={**environment, "DJANGO_SETTINGS_MODULE": "repertoire.settings", **env},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def gunicorn_environment():
    """The environment gunicorn.conf.py gives the web workers."""
    code = (
        "import os, runpy; runpy.run_path('gunicorn.conf.py'); "
        "print(os.environ['DATABASE_STATEMENT_TIMEOUT'])"
    )
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_STATEMENT_TIMEOUT"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        env=environment,
    )
    assert result.returncode == 0, result.stderr
    return {"DATABASE_STATEMENT_TIMEOUT": result.stdout.strip()}


@postgresql_only
def test_web_workers_cancel_a_statement_after_five_seconds_commands_never():
    assert statement_timeout(**gunicorn_environment()) == "5s"
    assert statement_timeout() == "0"
    assert statement_timeout(DATABASE_STATEMENT_TIMEOUT="0.25") == "250ms"


@postgresql_only
def test_web_workers_run_no_parallel_workers_nor_jit_commands_may():
    web = gunicorn_environment()
    assert statement_timeout("max_parallel_workers_per_gather", **web) == "0"
    assert statement_timeout("jit", **web) == "off"
    assert statement_timeout("max_parallel_workers_per_gather") != "0"


@pytest.mark.django_db
def test_the_generator_clones_the_repertoire_with_valid_relations():
    real = Partnership.objects.count()
    real_ids = set(Partnership.objects.values_list("id", flat=True))
    added = generate(real + 60, per_partnership=10, log=lambda message: None)
    assert added == 60
    assert Partnership.objects.count() == real + 60
    clones = Partnership.objects.exclude(id__in=real_ids)
    # Every clone has partners on both sides, each of the side's country.
    sides = clones.annotate(
        french=Count("members", filter=Q(members__side=Country.FRANCE)),
        malian=Count("members", filter=Q(members__side=Country.MALI)),
    )
    assert all(p.french >= 1 and p.malian >= 1 for p in sides)
    members = PartnershipMember.objects.filter(partnership__in=clones).select_related(
        "collectivity"
    )
    assert all(m.collectivity.country == m.side for m in members)
    # Actions: about ten per partnership, each of a domain its fiche lists.
    actions = Action.objects.filter(partnership__in=clones).select_related("domain")
    assert 200 <= actions.count() <= 1200
    for action in actions.filter(domain__isnull=False)[:200]:
        assert action.partnership.domains.filter(pk=action.domain_id).exists()
    # Budgets in euros at the fixed parities, positions unique within each fiche.
    for budget in Budget.objects.filter(partnership__in=clones)[:300]:
        assert budget.amount_eur == to_eur(budget.amount, budget.currency)
        assert budget.action_id is None or budget.action.partnership_id == budget.partnership_id
    # The sequences moved past the rows written: the site can create the next one.
    last = max(clones.values_list("id", flat=True))
    created = Partnership.objects.create(slug="apres-le-generateur", title="x", status="listed")
    assert created.id > last
    # Run again with the same total: nothing more.
    assert generate(real + 60, log=lambda message: None) == 0


@pytest.mark.django_db
def test_the_partner_pools_grow_with_the_directory():
    """At 2,000 partnerships: 800 French partners (INSEE communes beside the real ones) and
    200 Malian ones (communes numbered within the cercles, each in its region)."""
    french = Collectivity.objects.filter(country=Country.FRANCE).count()
    pools, names = collectivity_pools(Writer(connection), 2000, random.Random(1))
    assert len(pools[Country.FRANCE][0]) == 800 == Collectivity.objects.filter(country="FR").count()
    assert len(pools[Country.MALI][0]) == 200 == Collectivity.objects.filter(country="ML").count()
    new = Collectivity.objects.filter(country=Country.FRANCE).order_by("-id")[: 800 - french]
    assert all(c.department and c.department_code and c.french_region for c in new)
    communes = Collectivity.objects.filter(name__contains=" du cercle de ")
    assert communes.exists()
    assert all(c.malian_region_id and c.cercle in c.name for c in communes)
    # The real partners are drawn more often, by the partnerships they already have.
    ids, weights = pools[Country.MALI]
    bamako = Collectivity.objects.get(slug="district-de-bamako")
    assert weights[ids.index(bamako.id)] > 10 * weights[-1]
    assert names[bamako.id] == bamako.name


@pytest.mark.django_db
def test_a_generated_fiche_and_list_render(client):
    generate(Partnership.objects.count() + 20, log=lambda message: None)
    clone = Partnership.objects.order_by("-id").first()
    assert client.get(reverse("partnership_detail", args=[clone.slug])).status_code == 200
    response = client.get(reverse("partnership-detail", args=[clone.slug]))
    assert response.json()["title"] == clone.title
