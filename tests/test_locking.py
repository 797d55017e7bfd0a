"""partnerships.locking: the one optimistic lock of every write (pages, API, child rows)."""

import threading

import pytest
from django.db import connection, transaction

from partnerships import locking
from partnerships.models import Partnership

from .factories import PartnershipFactory


@pytest.mark.parametrize(
    ("raw", "version"),
    [(None, None), ("", None), ('""', None), ("12", 12), ('"12"', 12), ('W/"12"', 12), (7, 7)],
)
def test_parse_version(raw, version):
    assert locking.parse_version(raw) == version


@pytest.mark.parametrize("raw", ["douze", "-1", "1.5", '"1"2', "١٢"])
def test_parse_version_refuses_what_is_not_a_version(raw):
    with pytest.raises(ValueError):
        locking.parse_version(raw)


def test_etag_parses_back():
    assert locking.parse_version(locking.etag(41)) == 41


@pytest.mark.django_db
class TestLock:
    def fiche(self):
        return Partnership.objects.get(slug="alencon-koutiala")

    def test_must_run_in_a_transaction(self):
        fiche = self.fiche()
        with pytest.raises(RuntimeError):
            # pytest-django wraps the test in a transaction: leave it to test the guard.
            with transaction.atomic():
                pass
            connection.in_atomic_block, saved = False, connection.in_atomic_block
            try:
                locking.lock(Partnership, fiche.pk, fiche.version)
            finally:
                connection.in_atomic_block = saved

    def test_the_version_read_passes_and_an_older_one_is_stale(self):
        fiche = self.fiche()
        with transaction.atomic():
            assert locking.lock(Partnership, fiche.pk, fiche.version).pk == fiche.pk
        locking.touch(Partnership, fiche.pk)
        with pytest.raises(locking.StaleVersion) as stale, transaction.atomic():
            locking.lock(Partnership, fiche.pk, fiche.version)
        assert stale.value.current.version == fiche.version + 1
        assert f"version {fiche.version + 1}" in str(stale.value)

    def test_a_version_can_be_required(self):
        fiche = self.fiche()
        with transaction.atomic():
            assert locking.lock(Partnership, fiche.pk, None).pk == fiche.pk
        with pytest.raises(locking.VersionRequired), transaction.atomic():
            locking.lock(Partnership, fiche.pk, None, required=True)

    def test_touch_bumps_the_version_only(self):
        fiche = self.fiche()
        locking.touch(Partnership, fiche.pk)
        again = self.fiche()
        assert again.version == fiche.version + 1
        assert again.title == fiche.title


@pytest.mark.django_db(transaction=True)
def test_of_two_writers_from_the_same_version_exactly_one_wins():
    """Two threads, two connections, the same version read: the second to take the row lock
    sees the first one's write and is refused (under SELECT … FOR UPDATE on PostgreSQL, under
    SQLite's single writer there)."""
    fiche = PartnershipFactory(title="Course / Concurrence")
    start = threading.Barrier(2)
    outcomes = []

    def write(title):
        try:
            start.wait()
            with transaction.atomic():
                current = locking.lock(Partnership, fiche.pk, fiche.version)
                current.title = title
                current.save()  # save() bumps the version
            outcomes.append("saved")
        except locking.StaleVersion:
            outcomes.append("stale")
        except Exception as error:  # SQLite: "database is locked" is also a refusal, not a loss
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(f"Titre {n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("saved") == 1, outcomes
    assert Partnership.objects.get(pk=fiche.pk).version == fiche.version + 1
