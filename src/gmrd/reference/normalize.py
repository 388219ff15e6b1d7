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


def repair_mojibake(text: str, rounds: int = 3) -> str:
    """UTF-8 text that was decoded as Windows-1252 or Latin-1, once or more, decoded right.

    Each round maps every character back to its Windows-1252 byte [1]_ (a C1 control to its Latin-1
    byte) and decodes the bytes as strict UTF-8. A round that cannot do so stops the repair, so
    ordinary text is returned unchanged: "Réunion" is not valid UTF-8 as Windows-1252 bytes, and
    "Türkei", the second round's result for "TÃƒÂ¼rkei", is not either.

    References
    ----------
    .. [1] WHATWG, Encoding Standard, index windows-1252 (https://encoding.spec.whatwg.org/): bytes
           0x81, 0x8D, 0x8F, 0x90 and 0x9D decode to the C1 controls U+0081 … U+009D, as in Latin-1.

    Examples
    --------
    >>> repair_mojibake("RÃ©union"), repair_mojibake("TÃƒÂ¼rkei"), repair_mojibake("DiÄŸer")
    ('Réunion', 'Türkei', 'Diğer')
    >>> repair_mojibake("Réunion"), repair_mojibake("Côte d’Ivoire"), repair_mojibake("Россия")
    ('Réunion', 'Côte d’Ivoire', 'Россия')
    """
    for _ in range(rounds):
        raw = _windows_1252_bytes(text)
        if raw is None:
            break
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            break
    return text


def _windows_1252_bytes(text: str) -> bytes | None:
    """The bytes a Windows-1252 (or Latin-1) decoder read as ``text``; None for ASCII or other text."""
    if text.isascii():
        return None
    try:
        return text.encode("cp1252")
    except UnicodeEncodeError:
        out = bytearray()
        for ch in text:
            if ord(ch) < 0x100:
                out.append(ord(ch))
            else:
                try:
                    out += ch.encode("cp1252")
                except UnicodeEncodeError:
                    return None
        return bytes(out)


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
    text = strip_accents(clean(repair_mojibake(str(label)))).casefold()
    text = text.replace("&", " and ").replace("ß", "ss")
    return _WS.sub(" ", _PUNCT.sub(" ", text)).strip()
