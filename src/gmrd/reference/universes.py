"""Population universes: the UN Population Division's PopulationUniverse codes and their names.

References
----------
.. [1] United Nations, Department of Economic and Social Affairs, Population Division. Codes of the
   population universe in its long-format migrant-stock inputs (International Migrant Stock 2020).
"""

from __future__ import annotations

import re

from gmrd.errors import InputError
from gmrd.reference.normalize import key

UNIVERSES: dict[int, str] = {
    0: "total",
    1: "citizens",
    2: "refugees",
    3: "foreign_born",
    4: "foreign_citizens",
    5: "native_born",
    6: "asylum_seekers",
    7: "venezuelans_displaced_abroad",
    8: "stateless",
    9: "international_migrants",
    10: "other_in_need_of_protection",
    11: "non_permanent_residents",
    -1: "unknown",
}
FOREIGN_BORN, FOREIGN_CITIZENS = 3, 4

_ALIASES: dict[str, int] = {key(n.replace("_", " ")): c for c, n in UNIVERSES.items()}
for _c, _names in {
    0: ["all", "total population", "population", "tot"],
    1: ["nationals", "citizen", "ctz"],
    2: ["refugee", "ref"],
    3: ["foreignborn", "born abroad", "foreign born population", "frb", "place of birth", "birth",
        "nacidos en el extranjero", "nes a l etranger", "immigrants"],
    4: ["foreigners", "foreign citizen", "foreign nationals", "non citizens", "noncitizens", "aliens",
        "fcz", "citizenship", "extranjeros", "etrangers"],
    5: ["native", "natives", "nat"],
    6: ["asylum seeker", "asy"],
    7: ["vda", "venezuelans displaced"],
    8: ["stl"],
    9: ["migrants", "international migrant stock", "img"],
    10: ["other people in need of international protection", "oip"],
    11: ["npr", "non permanent resident"],
    -1: ["unk", "not stated"],
}.items():
    for _n in _names:
        _ALIASES[key(_n)] = _c


def parse_universe(label: object, *, file: str | None = None, row: int | None = None,
                   field: str | None = None) -> int:
    """The PopulationUniverse code of a name ("foreign_born", "Foreign-born", "foreigners") or code."""
    if isinstance(label, int) and not isinstance(label, bool):
        if label in UNIVERSES:
            return label
    elif (isinstance(label, str) and re.fullmatch(r"\s*-?\d{1,3}\s*", label, flags=re.ASCII)
          and int(label) in UNIVERSES):
        return int(label)
    elif isinstance(label, str) and key(label) in _ALIASES:
        return _ALIASES[key(label)]
    raise InputError(f"population universe {label!r} is not recognized (e.g. foreign_born, "
                     "foreign_citizens, refugees)", file=file, row=row, field=field)


def universe_name(code: int) -> str:
    """The canonical name of a universe code ("foreign_born" for 3)."""
    try:
        return UNIVERSES[code]
    except KeyError:
        raise InputError(f"population universe code {code!r} is not known") from None
