"""Text helpers of the whole project: pure functions, no Django, no database.

One folding of names and words for every comparison the directory makes (importers matching
names, search, the personal-data policy) and one slug allocator for every new row (import,
staff pages, API): two implementations that disagree would let "Ségou" match in one place and
not in another, or give a row an empty slug.
"""

import re
import unicodedata
from collections.abc import Callable

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text) -> str:
    """Lower case, no accents, no punctuation: the form in which names and words are compared.

    "Yélimané" and "YELIMANE", "Saint-Denis" and "Saint Denis", "Œuvre" and "oeuvre" fold alike.
    """
    if text is None:
        return ""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("’", "'").replace("œ", "oe").replace("Œ", "oe")
    text = text.replace("æ", "ae").replace("Æ", "ae").lower()
    return _NOT_ALNUM.sub(" ", text).strip()


def slugify(text, max_length: int = 100) -> str:
    """The folded words joined by hyphens, cut at ``max_length`` ("" when nothing is left)."""
    return fold(text).replace(" ", "-")[:max_length].strip("-")


def allocate_slug(
    text, is_taken: Callable[[str], bool], max_length: int = 100, fallback: str = "sans-nom"
) -> str:
    """A slug for ``text`` that ``is_taken`` does not know yet: "segou", then "segou-2"…

    Never empty: a name that slugifies to nothing ("日本") takes ``fallback``. The suffix fits
    within ``max_length``.
    """
    base = slugify(text, max_length - 4) or fallback
    slug, n = base, 2
    while is_taken(slug):
        slug, n = f"{base}-{n}", n + 1
    return slug
