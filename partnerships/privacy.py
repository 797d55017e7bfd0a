"""The personal-data policy: one rule for every output (pages, API, CSV and JSON exports,
workshops).

The sources name people, with their phones and e-mails. Signed-in users see everything; for
everyone else:

- fields that are about a person (a contact, a participant's name) are left out: the serializers
  and templates ask ``may_see_personal_data()``;
- every other text is shown through a ``Masker``: e-mail addresses, phone numbers and the names
  of the people the database knows (contacts, workshop participants and speakers) are replaced
  by a notice, wherever they stand in a free text.

Apps add the names they hold with ``register_name_source()`` (the workshops app does, from its
AppConfig.ready): this module never imports them. The set of names is built once per process
and rebuilt when ``names_changed()`` is called (on every save or delete of a row holding a name).
"""

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from functools import lru_cache

from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .text import fold

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Phone numbers as the répertoire prints them, and nothing else: years, periods ("2001-2005")
# and amounts ("240 000") must stay. French "04 42 91 91 29", international "+33 4 78 63 43 09"
# or "00 223 671 80 53", Malian "222 34 65" / "20 22 34 65".
_SEP = r"(?:[ \t]?[.\-][ \t]?|[ \t])"  # one separator, never a line break nor a date's "/"
PHONE = re.compile(
    r"(?<![\d+])(?:"
    # international, unambiguous: +33 4 78…, 00 223 671…, (+223) 2 640 106, +33/(0)2.41…
    r"\(?(?:\+[ \t]?|00[ \t.\-]?)\d{2,3}\)?(?:[ \t.\-/]|\(0\))*\d(?:[ \t.\-/]?\d){5,10}"
    rf"|0\d(?:{_SEP}\d\d){{4}}|0\d{{9}}"  # French national
    rf"|\d{{3}}(?:{_SEP}\d\d){{2}}|\d\d(?:{_SEP}\d\d){{3}}"  # Malian local
    r")(?![\d])"
)
# A word of a name: letters, with inner hyphens or apostrophes ("Bouchet-Gottier", "N'Diaye").
WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
ELISION = re.compile(r"(?:qu|[dljnmstc])['’](?=[^\W\d_])")
CIVILITIES = {"m", "mr", "mme", "mlle", "mm", "dr", "monsieur", "madame", "mademoiselle"}
# Identifiers are never rewritten: a slug is not a text, and changing it would break links.
IDENTIFIER_KEYS = {"id", "slug", "url", "partnership", "collectivity", "item", "source"}
# Texts masked per masker and language kept for reuse: an API page or a fiche masks the same
# sub-theme labels and action descriptions again and again. Bounded, so a worker's memory is.
MEMO_SIZE = 20_000

# The words of a text repeat (articles, domain words): each is folded once per process.
fold_word = lru_cache(maxsize=100_000)(fold)

_name_sources: list[Callable[[], Iterable[str]]] = []
_CACHE_KEY = "privacy:names-version"


def register_name_source(source: Callable[[], Iterable[str]]) -> None:
    """Add a function giving the names of people held by an app ("Prénom NOM" strings)."""
    if source not in _name_sources:
        _name_sources.append(source)


def names_changed(**_kwargs) -> None:
    """Signal receiver: the names known changed; every process rebuilds its masker."""
    try:
        cache.incr(_CACHE_KEY)
    except ValueError:
        cache.set(_CACHE_KEY, 1, timeout=None)


def names_version() -> int:
    """Changes whenever the names known change (for caches of masked documents)."""
    return cache.get(_CACHE_KEY, 0)


def may_see_personal_data(user) -> bool:
    return bool(user is not None and user.is_authenticated)


def split_name(name: str) -> tuple[list[str], str]:
    """(given names, family name) of a printed name, folded, without civility.

    The words from the first one in capitals are the family name ("Moussa BADOULAYE TRAORE":
    "badoulaye traore"); without capitals, the last word is ("Astrid Frey": "frey").
    """
    words = WORD.findall(name)
    while words and fold(words[0]) in CIVILITIES:
        words = words[1:]
    if not words:
        return [], ""
    upper = [i for i, w in enumerate(words) if len(w) > 1 and w.isupper()]
    cut = upper[0] if upper and upper[0] > 0 else max(len(words) - 1, 0)
    given = [fold(w) for w in words[:cut] if len(fold(w)) > 1]
    return given, fold(" ".join(words[cut:]))


class Masker:
    """Replaces e-mails, phones and known names of people in texts (and in whole documents)."""

    def __init__(self, names: Iterable[str] = ()):
        # Sequences of folded words that name a person, and family names alone (masked when
        # printed in capitals, or after a civility: "M. Doumbia", "DELANOË").
        self.full: set[tuple[str, ...]] = set()
        self.family: set[str] = set()
        for name in names:
            given, family = split_name(name or "")
            if not family or len(family) < 3:
                continue
            family_words = tuple(family.split())
            self.family.add(family)
            if given:
                self.full.add((*given, *family_words))
                self.full.add((given[0], *family_words))
                # "L. Laloge": the initial of the given name then the family name.
                self.full.add((given[0][0], *family_words))
                self.full.add((*family_words, *given))
        self.longest = max((len(seq) for seq in self.full), default=1)
        # The folded words a name can begin with: any other word is passed over at once (most
        # words of a text), which keeps masking linear and cheap.
        self.starts = (
            {seq[0] for seq in self.full}
            | {family.split()[0] for family in self.family}
            | CIVILITIES
        )
        self._memo: OrderedDict = OrderedDict()
        self._memo_lock = threading.Lock()

    def text(self, text, language=None):
        """``text`` masked, in ``language`` (the notices'; None: the reader's)."""
        if not isinstance(text, str) or not text:
            return text
        key = (language or get_language(), text)
        with self._memo_lock:
            masked = self._memo.get(key)
            if masked is not None:
                self._memo.move_to_end(key)
                return masked
        notice = _("[coordonnées réservées aux utilisateurs connectés]")
        masked = PHONE.sub(notice, EMAIL.sub(notice, text))
        if self.family:
            masked = self._names(masked)
        with self._memo_lock:
            self._memo[key] = masked
            if len(self._memo) > MEMO_SIZE:
                self._memo.popitem(last=False)
        return masked

    def _names(self, text: str) -> str:
        words = []
        for m in WORD.finditer(text):
            start, word = m.start(), m.group()
            # "d'Astrid Frey", "l'ADJOINT": a lower-case elision is not part of the name (a
            # capital one is: "N'Diaye", "D'Alembert").
            elision = ELISION.match(word)
            if elision:
                start, word = start + elision.end(), word[elision.end() :]
            words.append((start, m.end(), word, fold_word(word)))
        spans, i = [], 0
        starts = self.starts
        while i < len(words):
            # A folded word may be several ("N'Diaye": "n diaye"): its first one decides.
            first = words[i][3].partition(" ")[0]
            end = self._match_at(words, i) if first in starts else None
            if end is not None:
                spans.append((words[i][0], words[end - 1][1]))
                i = end
            else:
                i += 1
        if not spans:
            return text
        hidden = _("[nom réservé aux utilisateurs connectés]")
        out, last = [], 0
        for start, stop in spans:
            out += [text[last:start], hidden]
            last = stop
        out.append(text[last:])
        return "".join(out)

    def _match_at(self, words, i) -> int | None:
        """The end index of a person's name starting at word ``i``, or None."""
        folded = [w[3] for w in words[i : i + self.longest + 1]]
        # "M. DOUMBIA", "Mme Bouchet-Gottier": a civility then a known family name.
        if folded[0] in CIVILITIES and len(folded) > 1:
            for n in range(min(3, len(folded) - 1), 0, -1):
                if " ".join(folded[1 : 1 + n]) in self.family:
                    return i + 1 + n
        # An initial counts only as a capital letter ("L. Laloge", never the verb "a").
        initial_ok = len(folded[0]) > 1 or words[i][2].isupper()
        for n in range(min(self.longest, len(folded)), 1, -1):
            if initial_ok and tuple(" ".join(folded[:n]).split()) in self.full:
                return i + n
        # A family name alone, in capitals: "DELANOË" (never "Fort" or "Roux" as plain words).
        printed = words[i][2]
        if len(printed) > 2 and printed.isupper() and folded[0] in self.family:
            return i + 1
        return None

    def data(self, value, key=None, language=None):
        """A document (dicts, lists, texts) with ``text()`` applied to every text."""
        # The reader's language read once for the document: a page of the API's search holds
        # some 2,300 texts, and reading it for each took 3 ms.
        language = language or get_language()
        if isinstance(value, str):
            return value if key in IDENTIFIER_KEYS else self.text(value, language)
        if isinstance(value, list | tuple):
            return [self.data(item, key, language) for item in value]
        if isinstance(value, dict):
            return {k: self.data(item, k, language) for k, item in value.items()}
        return value


class _ShowEverything:
    """The masker of users who may see personal data: texts are left as they are."""

    def text(self, text):
        return text

    def data(self, value, key=None):
        return value


SHOW_EVERYTHING = _ShowEverything()
_local = threading.local()
_lock = threading.Lock()
_built: dict = {}


def current_masker() -> Masker:
    """The masker of every name known now (built once per process and per change of names)."""
    version = cache.get(_CACHE_KEY, 0)
    with _lock:
        if _built.get("version") != version or "masker" not in _built:
            names = [name for source in _name_sources for name in source()]
            _built.update(version=version, masker=Masker(names))
        return _built["masker"]


def masker_for(user):
    """What a user may read: everything, or texts through the current masker."""
    return SHOW_EVERYTHING if may_see_personal_data(user) else current_masker()


def context_processor(request):
    """``show_personal_data`` and ``privacy`` (the masker) for every template."""
    user = getattr(request, "user", None)
    return {
        "show_personal_data": may_see_personal_data(user),
        "privacy": _LazyMasker(user),
    }


class _LazyMasker:
    """Builds the masker only when a template masks a text (most pages never do), then keeps
    it for the page: finding the current one asks the shared cache for the names' version, a
    round trip to Redis in production, which a fiche's hundred texts would each pay."""

    def __init__(self, user):
        self.user = user
        self._masker = None

    def __getattr__(self, name):
        if self._masker is None:
            self._masker = masker_for(self.user)
        return getattr(self._masker, name)
