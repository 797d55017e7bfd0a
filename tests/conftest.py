import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database holds the seeded répertoire, as a fresh `make run` would."""
    with django_db_blocker.unblock():
        call_command("seed", verbosity=0)


@pytest.fixture(scope="module")
def reseed_after_module(django_db_blocker):
    """live_server tests flush the database (they are transactional): the seeded répertoire
    and the editors' groups are given back to the tests that follow the module. A module asks
    for it with ``pytest.mark.usefixtures("reseed_after_module")``."""
    yield
    from tests.test_editing import create_groups

    with django_db_blocker.unblock():
        call_command("seed", verbosity=0)
        create_groups()


@pytest.fixture
def editor_groups(db):
    from tests.test_editing import create_groups

    create_groups()


@pytest.fixture
def editor(django_user_model, editor_groups):
    """A member of the "Éditeurs" group (test_editing.PASSWORD), as staff are in production."""
    from django.contrib.auth.models import Group

    from tests.test_editing import PASSWORD

    user = django_user_model.objects.create_user("editrice", "editrice@example.org", PASSWORD)
    user.groups.add(Group.objects.get(name="Éditeurs"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


# Debian's Chromium (apt-get install chromium): the browser tests never download a browser.
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium through Playwright, kept off the network, one per test module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def french_by_default():
    """Each test starts in the site's language: a request made in English by a previous test
    (Accept-Language) leaves English active in this thread, and code that renders outside a
    request (maps, charts) would follow it."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def warm_memory(db):
    """What each process keeps in memory built, as on a running site (repertoire/memory.py:
    the personal-data masker, the facets' index): once per process and per change, not per
    request. Call it again after creating rows, before counting a request's queries."""
    from repertoire import memory

    memory.warm_up()
    return memory.warm_up


@pytest.fixture(scope="session", autouse=True)
def reference_tables():
    """The importers read their reference tables from the directory their caller names
    (partnerships.importers.references): tests that call a parser directly name the
    project's own sources, as ``manage.py import_repertoire`` does by default."""
    from partnerships.importers import references

    with references.use(settings.SOURCES_DIR):
        yield


@pytest.fixture(autouse=True)
def facet_index(settings):
    """The facets counted from the process's index, as in production (Redis); each test starts
    without one, since the database it was read from was rolled back behind the log."""
    from partnerships import dataversion, facetindex

    settings.FACET_INDEX = True
    facetindex.forget()
    dataversion.forget_kept()
    yield
    facetindex.forget()
    dataversion.forget_kept()


@pytest.fixture(autouse=True)
def search_documents_pending_rolled_back():
    """A test's transaction is rolled back, so the search documents it marked as changed
    (written at commit, partnerships/search.py) must not be flushed by the next test: that
    would add its queries and masker rebuilds to another test's counts."""
    yield
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        if hasattr(connection, "search_pending"):
            connection.search_pending.clear()
