"""The secret of an update link: made here, sent by e-mail, and stored only as its hash."""

import hashlib
import secrets


def new_token() -> tuple[str, str]:
    """(token, hash): the token goes in the e-mail, the hash in the database."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    # 256 random bits need no salt nor slow hash: a plain SHA-256 cannot be reversed to a token.
    return hashlib.sha256(token.encode()).hexdigest()
