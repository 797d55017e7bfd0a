"""Optimistic locking: the one mechanism that keeps an edit from silently overwriting another.

Every write (staff pages, API, child rows, collectivities, revert) reads the version its author
started from, then, in the transaction that writes, calls ``lock()``: the row is locked FOR
UPDATE and its version compared under that lock, so two writers can never both pass the check.
A fiche's children (partners, actions, budgets, contacts) carry no version of their own: a
change to one of them bumps the fiche's version (``touch()``), so a fiche form opened before it
cannot revert it.
"""

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _


class StaleVersion(Exception):
    """The row changed since the version the writer started from."""

    def __init__(self, current):
        self.current = current
        super().__init__(
            _(
                "Modifié entre-temps : version %(current)s, vous envoyez la version %(expected)s."
                " Relisez puis renvoyez vos changements."
            )
            % {"current": current.version, "expected": getattr(current, "_expected", "?")}
        )


class VersionRequired(Exception):
    """A write that does not say which version it starts from (HTTP 428)."""


def parse_version(raw) -> int | None:
    """The version a client sent (an ETag such as ``W/"12"``, ``"12"`` or ``12``), or None.

    Raises ValueError when something was sent that is not a version.
    """
    if raw is None:
        return None
    raw = str(raw).strip()
    if raw.startswith("W/"):
        raw = raw[2:]
    raw = raw.strip('"').strip()
    if raw == "":
        return None
    if not (raw.isascii() and raw.isdigit()):
        raise ValueError(raw)
    return int(raw)


def etag(version: int) -> str:
    return f'"{version}"'


def lock(model, pk, expected: int | None, *, required: bool = False):
    """The current row of ``model``, locked until the transaction ends.

    StaleVersion when ``expected`` is given and is not the row's version; VersionRequired when
    ``required`` and no version was given. Must run inside ``transaction.atomic()``: the lock
    and the write that follows are one transaction.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock() must run inside transaction.atomic()")
    current = model.objects.select_for_update().get(pk=pk)
    if expected is None:
        if required:
            raise VersionRequired()
        return current
    if current.version != expected:
        current._expected = expected
        raise StaleVersion(current)
    return current


def touch(model, pk) -> None:
    """Bump a row's version without saving it (a change to one of its children)."""
    model.objects.filter(pk=pk).update(version=F("version") + 1)
