"""Label normalization shared by the country, age and sex parsers (exact matching, never fuzzy)."""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = dict.fromkeys(map(ord, "\u2018\u2019\u02bc\u00b4`\u2032"), "'")
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u200b\u3000\ufeff"), " ")
_PUNCT = re.compile(r"[.,;:()\[\]{}\"'*/\\!?#_+-]+")
_WS = re.compile(r"\s+")


def clean(label: object) -> str:
    """Unicode-normalized text with uniform apostrophes, dashes and spaces (case and accents kept)."""
    text = unicodedata.normalize("NFKC", str(label))
    return _WS.sub(" ", text.translate(_APOSTROPHES).translate(_DASHES).translate(_SPACES)).strip()


def fix_mojibake(text: str) -> str:
    """Undo UTF-8 text that was decoded as Latin-1 ("RÃ©union" → "Réunion"); other text is unchanged."""
    if "Ã" not in text and "Â" not in text:
        return text
    try:
        return text.encode("cp1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def strip_accents(text: str) -> str:
    """Drop diacritics on Latin, Greek and Cyrillic letters; kana voicing marks etc. are kept."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(ch) and out and ord(out[-1]) < 0x0530:
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def key(label: object) -> str:
    """The matching key: lower case, no accents, punctuation as spaces, '&' as 'and', single spaces."""
    text = strip_accents(fix_mojibake(clean(label))).casefold()
    text = text.replace("&", " and ").replace("ß", "ss")
    return _WS.sub(" ", _PUNCT.sub(" ", text)).strip()
