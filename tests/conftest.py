import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database holds the seeded répertoire, as a fresh `make run` would."""
    with django_db_blocker.unblock():
        call_command("seed", verbosity=0)
