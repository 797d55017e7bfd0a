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


# A host name as browsers and Django's URLValidator take it: letters, digits and inner hyphens
# per label, a final label of letters; then an optional port and path.
_LABEL = r"[^\W_](?:(?:[^\W_]|-)*[^\W_])?"
# No quote, angle bracket or backtick: a real address has them percent-encoded.
_HOST_AND_PATH = rf"(?:{_LABEL}\.)+[^\W\d_]{{2,63}}(?::\d{{1,5}})?(?:[/?#][^\s\"<>`]*)?"
_BARE_ADDRESS = re.compile(rf"{_HOST_AND_PATH}", re.IGNORECASE)
_HTTP_ADDRESS = re.compile(rf"https?://{_HOST_AND_PATH}", re.IGNORECASE)
_SCHEME = re.compile(r"[a-z][a-z0-9+.\-]*:", re.IGNORECASE)
_EMBEDDED_HTTP = re.compile(r"https?://[^\s()<>\"'`]+", re.IGNORECASE)


def web_address(text) -> str:
    """The http(s) address a reader expects from a printed or stored web site, or "".

    "www.ville.fr" → "http://www.ville.fr"; an http(s) address stays as it is; an address in a
    remark ("(voir site association X : http://x.free.fr)") → that address; any other scheme
    ("javascript:…", "data:…", "ftp:…") or anything that is no address → "" (a link that does
    not lead to a web page is no link a reader can use, and may be an attack).
    """
    text = str(text or "").strip()
    if not text:
        return ""
    # Before the scheme test: "ville.fr:8080/x" is a host and a port, not a scheme.
    if _BARE_ADDRESS.fullmatch(text):
        return f"http://{text}"
    if _HTTP_ADDRESS.fullmatch(text):
        return text
    if _SCHEME.match(text):
        return ""
    found = _EMBEDDED_HTTP.search(text)
    address = found.group(0).rstrip(".,;:!?") if found else ""
    return address if _HTTP_ADDRESS.fullmatch(address) else ""
