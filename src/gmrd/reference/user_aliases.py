"""Country aliases that users add (``gmrd aliases``), consulted before every built-in name rule.

The database keeps them (:mod:`gmrd.db.aliases`); an import installs a snapshot of them in the
process-wide resolver (:meth:`gmrd.reference.country_names.CountryResolver.use_user_aliases`).

Matching, for a label and a reference date (an alias with ``valid_from``/``valid_to`` applies only to
reference dates inside that range, both days included; without a reference date only aliases without
dates apply):

1. the label as written (surrounding and repeated spaces aside, case kept): the UN's own name lists
   give different codes to "Other Asian Countries" and "Other Asian countries";
2. else its normalized key (:func:`gmrd.reference.country_names.country_key`: case, accents,
   punctuation), when the aliases with that key agree on one code; when they do not, the label is
   ambiguous and an error.

A code outside the countries table (the Population Division's internal groupings such as 1000031
"Other in Asia", or 895 "USA and Canada") is accepted for origins: the area is named by the alias
label (the first one added for that code).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class UserAlias:
    """One alias: a label, the code it stands for, and optionally the dates it is valid for."""

    label: str
    code: int
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    def applies_on(self, on: dt.date | None) -> bool:
        """Whether the alias applies to a reference date (undated aliases always do)."""
        if self.valid_from is None and self.valid_to is None:
            return True
        if on is None:
            return False
        return ((self.valid_from is None or self.valid_from <= on)
                and (self.valid_to is None or on <= self.valid_to))

    def overlaps(self, other: UserAlias) -> bool:
        """Whether two aliases share at least one day of validity."""
        lo = max(self.valid_from or dt.date.min, other.valid_from or dt.date.min)
        hi = min(self.valid_to or dt.date.max, other.valid_to or dt.date.max)
        return lo <= hi


def written(label: str) -> str:
    """A label as written, without surrounding or repeated whitespace (the exact-match form)."""
    return re.sub(r"\s+", " ", str(label)).strip()


class UserAliasTable:
    """An immutable snapshot of the users' aliases, indexed by written label and by key."""

    def __init__(self, aliases: Iterable[UserAlias], key: Callable[[str], str]) -> None:
        self.aliases = tuple(aliases)
        self._exact: dict[str, list[UserAlias]] = defaultdict(list)
        self._keyed: dict[str, list[UserAlias]] = defaultdict(list)
        for alias in self.aliases:
            self._exact[written(alias.label)].append(alias)
            self._keyed[key(alias.label)].append(alias)
        self._key = key

    def __len__(self) -> int:
        return len(self.aliases)

    def match(self, label: str, on: dt.date | None) -> tuple[int | None, set[int]]:
        """(code, set()) for the alias of ``label`` on ``on``; (None, codes) when several aliases of
        the label's key disagree; (None, set()) when no alias applies."""
        exact = {a.code for a in self._exact.get(written(label), ()) if a.applies_on(on)}
        if len(exact) == 1:
            return exact.pop(), set()
        keyed = {a.code for a in self._keyed.get(self._key(label), ()) if a.applies_on(on)}
        if len(keyed) == 1:
            return keyed.pop(), set()
        return None, exact or keyed
