"""The password policy of new users: long enough, not common, not trivial, not the user's name.

NIST SP 800-63B §5.1.1.2 asks verifiers to refuse passwords found in lists of commonly used or
breached passwords, repetitive or sequential characters and context-specific words such as the user
name, rather than imposing composition rules; :func:`check_password` does that with the 30,000 most
common passwords of the zxcvbn package's frequency lists (Wheeler 2016: passwords ranked by frequency in
a corpus of ten million leaked passwords), a maintained package rather than a list copied by hand.

References
----------
.. [1] Grassi, P. A. et al. (2017). NIST Special Publication 800-63B, §5.1.1.2.
.. [2] Wheeler, D. L. (2016). zxcvbn: Low-Budget Password Strength Estimation. Proceedings of the 25th
   USENIX Security Symposium, 157-173.
"""

from __future__ import annotations

import functools
import string

from gmrd.errors import InputError

MIN_PASSWORD_LENGTH = 10
MIN_DISTINCT = 4
_DECORATION = string.digits + string.punctuation + string.whitespace


@functools.cache
def common_passwords() -> frozenset[str]:
    """The 30,000 most common passwords (zxcvbn's ``passwords`` frequency list), in lower case."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(word.strip().lower() for word in FREQUENCY_LISTS["passwords"] if word.strip())


def _period(text: str) -> int:
    """The shortest p such that ``text`` repeats its first p characters (``text`` itself if none shorter)."""
    for p in range(1, len(text)):
        if all(text[i] == text[i + p] for i in range(len(text) - p)):
            return p
    return len(text)


def _sequential(text: str) -> bool:
    """Whether the characters run up or down one code point at a time ('abcdefghij', '9876543210')."""
    steps = {ord(b) - ord(a) for a, b in zip(text, text[1:], strict=False)}
    return steps in ({1}, {-1})


def password_problem(password: str, user_name: str) -> str | None:
    """Why ``password`` may not be used by ``user_name`` (None if it may).

    References
    ----------
    .. [1] Grassi, P. A. et al. (2017). NIST Special Publication 800-63B, Digital Identity Guidelines:
       Authentication and Lifecycle Management, §5.1.1.2 Memorized Secret Verifiers.
       doi:10.6028/NIST.SP.800-63b
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"the password must have at least {MIN_PASSWORD_LENGTH} characters"
    if not password.strip():
        return "the password may not be only spaces"
    lowered = password.lower()
    if len(set(lowered)) < MIN_DISTINCT or _period(lowered) <= MIN_DISTINCT or _sequential(lowered):
        return "the password repeats or runs through a few characters: choose a less predictable one"
    core = lowered.strip(_DECORATION)
    if lowered in common_passwords() or core in common_passwords():
        return "the password is one of the most common passwords (or one with digits added): choose another"
    name = user_name.strip().lower()
    if len(name) >= 3 and name in lowered:
        return "the password may not contain the user name"
    return None


def check_password(password: str, user_name: str) -> None:
    """Raise InputError (field ``password``) if :func:`password_problem` finds one."""
    problem = password_problem(password, user_name)
    if problem is not None:
        raise InputError(problem, field="password")
