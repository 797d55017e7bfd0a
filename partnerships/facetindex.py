"""The facets' rows held in each process's memory: one bitset per facet value.

At 100,000 partnerships, counting a selection's facets from the rows in SQL reads about 15
values per selected row: 0.3 to 0.4 s for a selection of 30,000, on every list whose counts
are not cached yet. Here each facet value ("domain:7", "region:2023:45", "state:active"…)
is a Python integer whose bit *p* is set when the partnership at position *p* has it; the
count of a value within a selection is ``(bits & selection).bit_count()``: a few
microseconds per value. At 100,000 partnerships the index holds about 35 MB: 188 bitsets of
12 kB, and each row's values, to clear its bits when it is read again.

The index must never show a state older than the data committed and logged: each process
keeps its own, and learns what changed from a log in the cache every worker shares (Redis in
production): the one writer of the rows (``search.index_partnerships``) appends the keys it
rewrote as soon as its transaction commits (between the two, microseconds, a reader may still
count without the write; a failure to reach the cache then loses the entry, and the other
workers count without that write until they next read every row, at the latest the next
day). Before each use a reader compares the log's sequence with its own and reads again the
rows of the partnerships named since; an entry it cannot find (expired, or the cache emptied)
or too many of them, and it reads every row again. A write is counted once committed: a
transaction rolled back logs nothing, and the writer's own transaction, before its commit,
counts without its edit. The index is used only where every process shares that cache
(``settings.FACET_INDEX``, on with REDIS_URL): with one memory per process, the other workers
would never hear of an edit. The state depends on the day: a new day reads every row again.
"""

import re
import threading
from collections import Counter, deque
from itertools import chain, repeat

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from .models import FacetRow, state_case

SEQUENCE_KEY = "facetindex:sequence"
ENTRY_KEY = "facetindex:entry:{}"
# An entry is kept a day: a process that heard nothing for longer reads every row again.
ENTRY_SECONDS = 24 * 3600
# Beyond this many entries or keys to read again, reading every row is as quick.
MOST_ENTRIES = 200
MOST_KEYS = 5000
EVERYTHING = "*"
# The values kept per row, as collectivity keys, and tallied, without a bitset each
# (facetrows.partner_value).
TALLIED = "partner:"


def enabled() -> bool:
    return getattr(settings, "FACET_INDEX", False)


def _sequence() -> int:
    """The log's number, started where there is none (the first use, or the cache lost it) at
    the clock in milliseconds: beyond any number reached before (there are far fewer writes
    than milliseconds), so that a reader holding an older number reads every row again."""
    number = cache.get(SEQUENCE_KEY)
    if number is None:
        cache.add(SEQUENCE_KEY, int(timezone.now().timestamp() * 1000), timeout=None)
        number = cache.get(SEQUENCE_KEY)
    return number


def _append(entry):
    try:
        number = cache.incr(SEQUENCE_KEY)
    except ValueError:
        _sequence()
        number = cache.incr(SEQUENCE_KEY)
    cache.set(ENTRY_KEY.format(number), entry, ENTRY_SECONDS)


def rows_changed(ids, using="default"):
    """The rows of partnerships ``ids`` are rewritten (or deleted) by the current transaction:
    logged when it commits (at once outside a transaction)."""
    if enabled():
        ids = sorted(ids)
        transaction.on_commit(lambda: _append(ids), using=using, robust=True)


def everything_changed():
    """Rows were written behind the writer's back (bench/generate.py's COPY)."""
    if enabled():
        _append(EVERYTHING)


def read_keys(queryset) -> list:
    """The keys a ``values_list("pk", flat=True)`` queryset selects, fetched whole by the
    driver: Django's row iterator cost more than the query for a search matching a third of
    100,000 partnerships (65 ms of Python for 36,690 keys). PostgreSQL sends them as one
    array (the driver reads it in C: 1.4 ms of Python where a row per key took 4.5)."""
    try:
        sql, params = queryset.query.get_compiler(queryset.db).as_sql()
    except EmptyResultSet:  # a selection known to be empty (queryset.none())
        return []
    connection = connections[queryset.db]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT array_agg(k) FROM ({sql}) AS keys(k)", params)
            return cursor.fetchone()[0] or []
        cursor.execute(sql, params)
        return [key for (key,) in cursor.fetchall()]


def _bits(positions, size) -> int:
    """The bitset of ``positions``: each below ``size``, or ``size`` itself (ignored)."""
    # One ASCII digit per position, the ones written, then read as a binary number, by loops
    # in C (map, deque, int): setting the bits one by one in Python took 5.5 ms for the
    # 36,690 matches of "ecole" at 100,000 partnerships.
    digits = bytearray(b"0") * (size + 1)
    deque(map(digits.__setitem__, positions, repeat(ord("1"))), maxlen=0)
    return int(digits[size - 1 :: -1], 2) if size else 0


class FacetIndex:
    def __init__(self, using):
        self.using = using
        self.sequence = None
        self.day = None
        self.lock = threading.Lock()
        self._clear()

    def _clear(self):
        self.position = {}  # partnership key -> position
        self.values_at = []  # position -> the values of its row (None: no row any more)
        self.tallied_at = []  # position -> its row's partners (TALLIED): collectivity keys
        self.country = {}  # collectivity key -> its country
        self.bits = {}  # value -> bitset
        self.everything = 0

    def _rows(self, ids=None):
        rows = FacetRow.objects.using(self.using)
        if ids is not None:
            rows = rows.filter(partnership__in=ids)
        # The state and decade as the SQL counts read them (models.state_case: one rule).
        rows = rows.annotate(
            state=state_case("last_event_kind", "last_event_date", self.day),
            decade=F("contacts_start_year") / 10 * 10,
        ).values_list("partnership_id", "facet_values", "state", "status", "decade")
        # Each value's string once: a row's tuple then costs its pointers alone (at 100,000
        # partnerships, 80 MB of repeated strings otherwise).
        shared = {}
        for key, values, state, status, decade in rows.iterator(chunk_size=5000):
            values = [*values, f"state:{state}", f"status:{status}"]
            if decade is not None:
                values.append(f"decade:{decade}")
            yield (
                key,
                tuple(shared.setdefault(v, v) for v in values if not v.startswith(TALLIED)),
                tuple(self._partner(shared, v) for v in values if v.startswith(TALLIED)),
            )

    def _partner(self, shared, value):
        """The collectivity key of the value "partner:FR:12" (12), its country kept."""
        key = shared.get(value)
        if key is None:
            country, key = value[len(TALLIED) :].split(":")
            key = shared[value] = int(key)
            self.country[key] = country
        return key

    def _read_everything(self):
        self._clear()
        positions = {}
        for key, values, tallied in self._rows():
            position = len(self.values_at)
            self.position[key] = position
            self.values_at.append(values)
            self.tallied_at.append(tallied)
            for value in values:
                positions.setdefault(value, []).append(position)
        size = len(self.values_at)
        self.bits = {value: _bits(found, size) for value, found in positions.items()}
        self.everything = (1 << size) - 1

    def _read_again(self, ids):
        found = {key: (values, tallied) for key, values, tallied in self._rows(ids)}
        for key in ids:
            position = self.position.get(key)
            if position is not None:
                mask = ~(1 << position)
                for value in self.values_at[position] or ():
                    self.bits[value] &= mask
                self.everything &= mask
                self.values_at[position] = self.tallied_at[position] = None
            if key not in found:
                continue
            values, tallied = found[key]
            if position is None:
                position = len(self.values_at)
                self.position[key] = position
                self.values_at.append(None)
                self.tallied_at.append(None)
            bit = 1 << position
            for value in values:
                self.bits[value] = self.bits.get(value, 0) | bit
            self.everything |= bit
            self.values_at[position] = values
            self.tallied_at[position] = tallied

    def refresh(self):
        """Bring the index up to the log (and to the day)."""
        with self.lock:
            sequence = _sequence()
            today = timezone.localdate()
            if self.day != today or self.sequence is None or sequence < self.sequence:
                self.day, self.sequence = today, sequence
                self._read_everything()
                return self
            if sequence == self.sequence:
                return self
            numbers = range(self.sequence + 1, sequence + 1)
            self.sequence = sequence
            # Too many entries (or a sequence restarted from the clock after the cache lost
            # it): not even worth fetching them.
            if len(numbers) > MOST_ENTRIES:
                self._read_everything()
                return self
            entries = cache.get_many([ENTRY_KEY.format(n) for n in numbers])
            # An entry missing (expired, evicted, or its writer between numbering and storing
            # it) may have named any partnership.
            whole = len(entries) < len(numbers)
            ids = set()
            for entry in entries.values():
                if entry == EVERYTHING:
                    whole = True
                else:
                    ids.update(entry)
            if whole or len(ids) > MOST_KEYS:
                self._read_everything()
            else:
                self._read_again(ids)
            return self

    def selection(self, keys) -> int:
        """The bitset of partnership keys ``keys`` (a queryset of keys, or keys)."""
        if isinstance(keys, QuerySet):
            keys = read_keys(keys)
        size = len(self.values_at)
        # A key with no position (a row read since) goes to the spare digit, ignored.
        return _bits(map(self.position.get, keys, repeat(size)), size)

    def any_of(self, values) -> int:
        bits = 0
        for value in values:
            bits |= self.bits.get(value, 0)
        return bits

    def count(self, prefix, selection=None) -> dict:
        """{value without ``prefix``: number of partnerships of ``selection`` (a bitset; None
        for all)} for the values beginning with ``prefix``."""
        counts = {}
        # A copy of the items (taken at once, under the GIL): gunicorn's warm-up thread may be
        # reading rows again into this dict while a request counts.
        for value, bits in list(self.bits.items()):
            if value.startswith(prefix):
                n = (bits if selection is None else bits & selection).bit_count()
                if n:
                    counts[value[len(prefix) :]] = n
        return counts

    def tally(self, selection) -> Counter:
        """{collectivity key: number of partnerships of ``selection`` (a bitset) it is a
        partner of}, from the TALLIED values (their countries in ``country``)."""
        # The list as it is now: gunicorn's warm-up thread may be reading every row again
        # into a new one meanwhile (a position beyond it, or a row gone, has nothing).
        tallied_at = self.tallied_at
        size = len(tallied_at)
        rows = (tallied_at[p] for p in positions(selection & self.everything) if p < size)
        # One Counter over every row's keys (its loop in C, integers hashed as themselves): a
        # Counter.update per row took 18 ms for Kayes's 8,300 rows, this 3.
        return Counter(chain.from_iterable(row for row in rows if row))


def positions(bits) -> list:
    """The positions of the bits set in ``bits``, in order."""
    # The binary digits read from the lowest, found by the regular expression engine's loop:
    # a Python loop over 100,000 bits took 8 ms.
    return [match.start() for match in _ONE.finditer(format(bits, "b")[::-1])]


_ONE = re.compile("1")
_indexes = {}
# gunicorn's warm-up thread and the first request may ask at once: one index, built once.
_indexes_lock = threading.Lock()


def current(using="default"):
    """This process's index of the database ``using``, brought up to date; None where the
    index is off (``settings.FACET_INDEX``)."""
    if not enabled():
        return None
    with _indexes_lock:
        if using not in _indexes:
            _indexes[using] = FacetIndex(using)
        index = _indexes[using]
    return index.refresh()


def forget():
    """Drop this process's indexes (tests: a test's database is rolled back behind the log)."""
    _indexes.clear()
