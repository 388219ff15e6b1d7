"""Passwords, tokens, signed cookies, CSRF tokens and response headers: the primitives of web access.

Passwords are hashed with Argon2id (RFC 9106) through argon2-cffi; session and API tokens are random
(``secrets``) and stored only as SHA-256 digests, so a copy of the database does not give access.
CSRF tokens are HMACs of the session (or, before login, of a random pre-session nonce), the
"synchronizer token" pattern of the OWASP CSRF Prevention Cheat Sheet.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
import time

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from itsdangerous import BadSignature, URLSafeTimedSerializer

from gmrd.web.cache import LRU

SESSION_COOKIE = "gmrd_session"
PRESESSION_COOKIE = "gmrd_pre"
SESSION_MAX_AGE = 8 * 3600
CSRF_FIELD = "csrf"

# OWASP Password Storage Cheat Sheet: Argon2id with at least 19 MiB of memory, 2 iterations, 1 lane.
_hasher = PasswordHasher(memory_cost=19456, time_cost=2, parallelism=1)
# A hash of a random password, verified against when the user name is unknown, so that a failed
# login takes the same time whether or not the name exists.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))

SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                                "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
                                "object-src 'none'; base-uri 'none'; form-action 'self'; "
                                "frame-ancestors 'none'"),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


#: sent over HTTPS only (RFC 6797): browsers then use HTTPS for this host for a year
HSTS_HEADER = "max-age=31536000"


def hash_password(password: str) -> str:
    """An Argon2id hash of ``password`` (with its own salt and parameters)."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches ``password_hash``; a missing hash costs the same time and fails."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether a stored hash was made with other parameters than the current ones."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def new_token() -> str:
    """A random 256-bit token, URL-safe."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """The SHA-256 hex digest under which a token is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@functools.lru_cache(maxsize=8)
def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="gmrd-session")


#: cookies whose signature was checked: (secret, cookie) → (value, signing time); the age is checked on
#: every use, so a cookie still expires on time. Every page view checks its cookie: this saves an HMAC,
#: base64 and JSON decoding per view. Only valid cookies are kept (a forged one raises before storing).
_checked = LRU(4096)


def sign_cookie(secret: str, value: str) -> str:
    return _serializer(secret).dumps(value)


def read_cookie(secret: str, signed: str | None, max_age: int = SESSION_MAX_AGE) -> str | None:
    """The value of a cookie signed with :func:`sign_cookie`, or None if absent, forged or expired."""
    if not signed:
        return None

    def check() -> tuple[object, float]:
        value, signed_at = _serializer(secret).loads(signed, return_timestamp=True)
        return value, signed_at.timestamp()

    try:
        value, signed_at_ts = _checked.get((secret, signed), check)
    except BadSignature:
        return None
    if not 0 <= time.time() - signed_at_ts <= max_age:
        return None
    return value if isinstance(value, str) else None


def csrf_token(secret: str, basis: str) -> str:
    """The CSRF token of a session (or pre-session nonce)."""
    return hmac.new(secret.encode("utf-8"), b"csrf:" + basis.encode("utf-8"), hashlib.sha256).hexdigest()


def csrf_ok(secret: str, basis: str | None, submitted: str | None) -> bool:
    if not basis or not submitted:
        return False
    return hmac.compare_digest(csrf_token(secret, basis), submitted)
