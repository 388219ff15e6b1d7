"""General rules for country labels that no name table holds verbatim: mis-decoded UTF-8, words cut
short, and bilingual labels. Each rule is exact (words are equal, or one begins the other; nothing is
scored by similarity) and a label it reads in two ways is left unresolved. Mis-decoded UTF-8 is
repaired before any rule (:func:`gmrd.reference.normalize.repair_mojibake`).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence, Set

from gmrd.errors import UnknownCountry
from gmrd.reference.countries import _by_code

REFUSED = -1  # stands for a name that must not resolve (``data/country_refusals.csv``)


class WordReader:
    """Reads a label word by word against every known name, for labels no name matches whole.

    Parameters
    ----------
    names : mapping of str to set of int
        Every name key (:func:`gmrd.reference.country_names.country_key`) and the codes it stands for.
    codes : set of str
        Keys that are ISO 3166 codes rather than names: they lend no words and name no side of a label.
    refused : iterable of str
        Keys that must not resolve: a label read as one of them is not resolved.
    exact : callable
        The code of a key by the name tables alone: :data:`REFUSED` for a refused key, None for an
        unknown or ambiguous one.
    qualifiers : set of str
        Words that alone never stand for an area ("in", "north", "other").
    """

    def __init__(self, names: Mapping[str, set[int]], codes: set[str], refused: Iterable[str],
                 exact: Callable[[str], int | None], qualifiers: Set[str]) -> None:
        self._exact, self._codes, self._qualifiers = exact, codes, qualifiers
        self._of_code: dict[int, set[str]] = defaultdict(set)
        self._by_length: dict[int, list[tuple[tuple[str, ...], frozenset[int]]]] = defaultdict(list)
        areas: dict[str, set[int]] = defaultdict(set)
        entries = [(k, frozenset(found)) for k, found in names.items() if k not in codes and found]
        for k, found in entries + [(k, frozenset({REFUSED})) for k in refused]:
            words = tuple(k.split())
            for code in found:
                self._of_code[code].update(words)
            for w in words:
                areas[w] |= found
            self._by_length[len(words)].append((words, found))
        self._areas = dict(areas)
        self._sorted = sorted(areas)
        self._whole = {k for k, _ in entries if " " not in k}

    def read(self, variants: Iterable[str]) -> int | None:
        """The one area the keys of a label (the label and its comma inversion) name by their words.

        A label is read as :meth:`halves` (a name beside words of the same area's names) or as
        :meth:`truncated` (words cut short); all readings of all variants must give one code.

        Raises
        ------
        UnknownCountry
            For two names side by side ("Ghana Kambodża"), so that no later rule picks one of them.
        """
        found: set[int] = set()
        for k in variants:
            halves = self.halves(k.split())
            if halves is None:
                return None
            found |= halves | self.truncated(k)
        return found.pop() if len(found) == 1 and REFUSED not in found else None

    def halves(self, words: Sequence[str]) -> set[int] | None:
        """Codes of the label cut in two where one side is a name and the other the same area's name
        or :meth:`vouched` for it ("Belgique | België", "Ghana | Republic of"); None if a side is a
        refused name.

        Raises
        ------
        UnknownCountry
            If the two sides are names of two areas.
        """
        found: set[int] = set()
        for i in range(1, len(words)):
            sides = (words[:i], words[i:])
            codes = [None if " ".join(side) in self._codes else self._exact(" ".join(side)) for side in sides]
            if REFUSED in codes:
                return None
            if codes[0] is not None and codes[1] is not None and codes[0] != codes[1]:
                a, b = (_by_code()[c] for c in codes)
                raise UnknownCountry(f"{' '.join(words)!r} names two areas: {a.name} ({a.code}) and "
                                     f"{b.name} ({b.code})")
            for code, other, other_code in ((codes[0], sides[1], codes[1]), (codes[1], sides[0], codes[0])):
                if code is not None and (other_code == code or self.vouched(other, code)):
                    found.add(code)
        return found

    def vouched(self, words: Sequence[str], code: int) -> bool:
        """Whether words may stand beside a name of ``code`` ("Rzeczpospolita" beside "Poland"): each is
        a word of one of its names, not all are qualifiers, and no run of them names another area
        ("China excluding Hong Kong" lends "Hong Kong" to China; the Spanish "de" is no ISO code here).
        """
        known = self._of_code.get(code, set())
        if not words or set(words) <= self._qualifiers or any(w not in known for w in words):
            return False
        runs = (" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1))
        return all(run in self._codes or self._exact(run) in (None, code) for run in runs)

    def truncated(self, k: str) -> set[int]:
        """Codes of the names that ``k`` abbreviates word by word ("saint kitts and nev").

        A name fits when it has as many words as ``k`` and each word of ``k`` is the name's word or,
        unless it is itself the whole name of an area ("niger", "africa"), its beginning: "Niger Rep"
        never reads as Nigeria. Besides, one word of ``k`` must begin words of one area's names only
        ("nev": Saint Kitts and Nevis), so that a label is not read as the one name we
        know when it may cut short one we do not: "Slov Rep" (Slovakia or Slovenia), "French Polyn"
        (French Polynesia or Polynesia) and labels of one word ("Para" is not Paraguay) are not read.
        The caller resolves only when exactly one code fits and it is not :data:`REFUSED`.
        """
        words = k.split()
        if len(words) < 2 or not any(len(self._areas_beginning(w)) == 1 for w in words):
            return set()
        found: set[int] = set()
        for name, codes in self._by_length.get(len(words), ()):
            if all(n == w or (n.startswith(w) and w not in self._whole) for w, n in zip(words, name)):
                found |= codes
        return found

    def _areas_beginning(self, word: str) -> set[int]:
        """The areas with a name word that is ``word`` or, if it is no area's whole name, begins with it."""
        if word in self._whole:
            return self._areas.get(word, set())
        out: set[int] = set()
        i = bisect_left(self._sorted, word)
        while i < len(self._sorted) and self._sorted[i].startswith(word):
            out |= self._areas[self._sorted[i]]
            i += 1
        return out
