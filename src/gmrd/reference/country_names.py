"""Country names, ISO codes and M49 numbers → codes of the countries table, by exact rules only.

Before every rule below, the aliases users added (``gmrd aliases``; :mod:`gmrd.reference.user_aliases`,
installed from the database by each import with :func:`use_user_aliases`) are consulted.

Name sources, in order of authority (a name found in an earlier layer is never overridden by a later
one; a name that two entries of the same layer claim is ambiguous and is an error):

0. our own table and hand-written aliases (``data/countries.csv``, ``data/country_aliases.csv``)
   and the area names printed in the IMS 2019 and 2020 workbooks (``data/ims_names.csv``);
1. pycountry's ISO 3166 names (official, common, historic), ISO3 and ISO2 codes;
2. pycountry's gettext translations of those names (Spanish, French, Portuguese, …, Japanese, Russian);
3. country_converter's regular expressions, consulted last, on labels without qualifiers ("other",
   "former", "and", directions …), and only when a pattern matches the WHOLE label ("Senegall" or
   "Zambiana" contain "senegal" and "zambia" but are not resolved); their answer is mapped through
   our table (so coco's mapping of Czechoslovakia to Czechia or of old Sudan to 729 never applies).

Labels are compared after :func:`country_key` (case, accents, punctuation, whitespace, "the",
abbreviated words from ``data/country_abbreviations.csv``), once UTF-8 read as Windows-1252 is
repaired ("PerÃƒÂº"). A few structural rules apply before giving up: "Korea, Republic of" is also
tried as "Republic of Korea"; "X (Y)" as X or as "X, Y"; "A: B" as B ("Channel Islands: Guernsey");
bilingual "A-B" or "A / B" when the parts that resolve give one code and the others are made of
words of that area's names ("Polska Rzeczpospolita-Poland"); "Former X" only to a historical state (or to
X's predecessor, Sudan 736). Then :class:`gmrd.reference.name_rules.WordReader` reads the label
word by word: a name beside words of its own names, with or without a separator, and words cut
short ("St Kitts & Nev"), each only when exactly one area fits; two names side by side are an
error. Last, the words of a name in another order ("Samoa American", "Sao Tome Principe": the words of
one area's name, "and" aside, and no other's; "Islas Solomón": the Spanish, French or Portuguese word
for islands beside the rest of the name). Nothing is ever matched by similarity: a label that no
rule reads is an error, which suggests the closest known name ("did you mean Senegal (686)?") without
using it.

Dates: names whose meaning changed resolve for the reference date: "Sudan" before 9 July 2011 is
736, from then on 729. Numeric codes are taken as given.
"""

from __future__ import annotations

import datetime as dt
import difflib
import gettext
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

from gmrd.errors import UnknownCountry
from gmrd.reference.countries import Country, _by_code, countries
from gmrd.reference.name_rules import REFUSED, WordReader
from gmrd.reference.normalize import clean, key, repair_mojibake
from gmrd.reference.user_aliases import UserAlias, UserAliasTable

LANGUAGES = ("es", "fr", "pt", "pt_BR", "de", "it", "nl", "ja", "ru", "tr", "pl", "sv", "da", "nb_NO",
             "ca", "uk")
# (code a name resolves to today, first day of that meaning, code before that day)
NAME_DATE_RULES: dict[int, tuple[dt.date, int]] = {729: (dt.date(2011, 7, 9), 736)}
FORMER_OF = {729: 736}
_FORMER = re.compile(r"\b(former|formerly|ex|antigua|antiguo|ancienne|ancien|ehemalige|ehemaliges|eski"
                     r"|old|before \d{4}|up to \d{4}|until \d{4}|to \d{4})\b")
_QUALIFIERS = frozenset(
    ["other", "others", "rest", "and", "y", "et", "und", "or", "nec", "n", "e", "c", "not", "stated", "unknown", "part", "parts", "incl", "including", "excluding", "except", "without", "total", "components", "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "former", "ex", "plus", "islands", "island", "region", "regions", "countries", "of"])
_IGNORABLE_AFTER_COLON = frozenset({"ex dep", "dependencies", "dependency", "total", "ex"})
# Labels country_converter's regular expressions match to the wrong country ("Indochina" → China).
_COCO_TRAPS = re.compile(r"antarctic|\bat$|indochina|canal zone|trucial|south ?west africa|england|scotland|"
                         r"wales|n ?thern ireland|\bkorea$|^korea\b(?!.*(republic|south|north|dem))")
# "(NO)", "(AU)": the sovereign's ISO2 code after a territory's name, as Eurostat prints them.
_IGNORABLE_PAREN = re.compile(r"[A-Za-z]{2}|the|country|country of|republic of|rep of|state of|sar|south|"
                              r"north|sar of china|sar,? china|nuts \d{4}", re.IGNORECASE)
ORIGIN_TOTAL, ORIGIN_OTHER, ORIGIN_UNKNOWN = 0, 2003, 9999999


@cache
def _abbreviations() -> dict[str, str]:
    """Abbreviated words and what they stand for (``data/country_abbreviations.csv``)."""
    path = resources.files("gmrd.reference").joinpath("data/country_abbreviations.csv")
    with path.open(encoding="utf-8") as fh:
        table = pd.read_csv(fh, keep_default_na=False, comment="#")
    return dict(zip(table["abbreviation"], table["expansion"]))


def country_key(label: object) -> str:
    """The key names are matched on: :func:`normalize.key` after joining apostrophes ("d'Ivoire" →
    "divoire") and spelled-out initials ("U.S.S.R." → "ussr"), dropping the article "the" and
    expanding abbreviated words ("St." → "saint", "Is" → "islands", "F. S." → "federated states")."""
    text = re.sub(r"(?<=\w)['’‘ʼ`](?=\w)", "", clean(label))
    words = [w for w in key(text).split() if w != "the"]
    out: list[str] = []
    run: list[str] = []
    for w in words + [""]:
        if len(w) == 1 and w.isascii() and w.isalpha():
            run.append(w)
            continue
        if run:
            out.append("".join(run) if len(run) > 1 else run[0])
            run = []
        if w:
            out.append(w)
    abbreviations = _abbreviations()
    return " ".join(abbreviations.get(w, w) for w in out)


@cache
def _pycountry_names() -> list[tuple[str, int]]:
    import pycountry

    by_iso3 = {str(c.iso3): c.code for c in _by_code().values() if c.iso3}
    out: list[tuple[str, int]] = []
    for c in pycountry.countries:
        code = int(c.numeric)
        if code in _by_code():
            out += [(getattr(c, f), code) for f in ("name", "official_name", "common_name") if hasattr(c, f)]
    for c in pycountry.historic_countries:
        if c.alpha_3 in by_iso3:
            code = by_iso3[c.alpha_3]
        elif (getattr(c, "numeric", None) and int(c.numeric) in _by_code()
              and not re.search("split|divided", getattr(c, "comment", ""))):
            code = int(c.numeric)
        else:
            continue
        out.append((c.name, code))
    return out


def _layers() -> list[dict[str, set[int]]]:
    layers: list[dict[str, set[int]]] = [defaultdict(set) for _ in range(3)]
    table = countries()
    for name, code, twin in zip(table["name"], table["code"], table["same_members_as"]):
        layers[0][country_key(name)].add(int(code) if pd.isna(twin) else int(twin))
    for file in ("ims_names.csv", "country_aliases.csv"):
        with resources.files("gmrd.reference").joinpath(f"data/{file}").open(encoding="utf-8") as fh:
            aliases = pd.read_csv(fh, keep_default_na=False, comment="#")
        for name, code in zip(aliases["name"], aliases["code"]):
            twin = _by_code()[int(code)].same_members_as
            layers[0][country_key(name)].add(int(twin if twin is not None else code))
    names = _pycountry_names()
    for name, code in names:
        layers[1][country_key(name)].add(code)
        if name.count(",") == 1:
            head, tail = name.split(",")
            layers[1][country_key(f"{tail} {head}")].add(code)
    for c in _by_code().values():
        for iso in (c.iso3, c.iso2):
            if iso:
                layers[1][iso.casefold()].add(c.code)
    import pycountry

    for lang in LANGUAGES:
        tr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
        for name, code in names:
            translated = tr.gettext(name)
            layers[2][country_key(translated)].add(code)
            if translated.count(",") == 1:
                head, tail = translated.split(",")
                layers[2][country_key(f"{tail} {head}")].add(code)
    for name, code in _cldr_names():
        layers[2][country_key(name)].add(code)
    return layers


def _cldr_names() -> list[tuple[str, int]]:
    """Territory and region names of the Unicode CLDR (via Babel) in :data:`LANGUAGES` and English."""
    from babel import Locale

    by_iso2 = {str(c.iso2): c.code for c in _by_code().values() if c.iso2 and c.kind != "historical"}
    by_m49: dict[int, int] = {}
    for c in sorted(_by_code().values(), key=_geographic_first):
        if c.m49 is not None:
            by_m49.setdefault(c.m49, c.code)
    out: list[tuple[str, int]] = []
    for lang in ("en", *LANGUAGES):
        for ident, name in Locale.parse(lang).territories.items():
            code = by_m49.get(int(ident)) if ident.isdigit() else by_iso2.get(ident)
            if code is not None:
                out.append((name, code))
    return out


class CountryResolver:
    """Resolves labels to codes of the countries table, caching each distinct (label, date)."""

    def __init__(self, *, use_coco: bool = True) -> None:
        self._use_coco = use_coco
        self._layers = _layers()
        self._refused = _refusals()
        names: dict[str, set[int]] = {}
        for layer in self._layers:
            for k, found in layer.items():
                names.setdefault(k, found)
        iso = {str(x).casefold() for c in _by_code().values() for x in (c.iso3, c.iso2) if x}
        self._words = WordReader(names, iso, self._refused, self._exact, _QUALIFIERS | {"in"})
        self._reordered: dict[tuple[str, ...], set[int]] = defaultdict(set)
        for k, found in names.items():
            if k not in iso and " " in k:
                self._reordered[_word_set(k)] |= found
        self._names = {k: found for k, found in names.items() if k not in iso and len(found) == 1}
        self._m49: dict[int, int] = {}
        for c in sorted(_by_code().values(), key=_geographic_first):
            if c.m49 is not None:
                self._m49.setdefault(c.m49, c.code)
        self._coco: list[tuple[re.Pattern[str], int]] | None = None
        self._cache: dict[tuple[str, dt.date | None], int] = {}
        self._user = UserAliasTable((), country_key)

    def use_user_aliases(self, aliases: Sequence[UserAlias]) -> None:
        """Consult these user aliases (:mod:`gmrd.reference.user_aliases`) before every built-in rule,
        replacing those installed before (an import installs the database's current ones)."""
        if tuple(aliases) != self._user.aliases:
            self._user = UserAliasTable(aliases, country_key)
            self._cache.clear()

    # -- public -------------------------------------------------------------------------------
    def resolve(self, label: str | int, on: dt.date | None = None, *, file: str | None = None,
                row: int | None = None, field: str | None = None) -> int:
        """See :func:`resolve_country`."""
        cache_key = (label if isinstance(label, str) else repr(label), on)
        hit = self._cache.get(cache_key)
        if hit is not None:
            return hit
        try:
            code = self._resolve(label, on)
        except UnknownCountry as exc:
            raise exc.located(file=file, row=row, field=field) from None
        self._cache[cache_key] = code
        return code

    def resolve_many(self, labels: Sequence[object] | pd.Series, on: dt.date | None = None, *,
                     file: str | None = None, rows: Sequence[int] | None = None,
                     field: str | None = None, origin: bool = False) -> np.ndarray:
        """Codes for many labels, each distinct label resolved once; an error names its first row."""
        series = pd.Series(list(labels) if not isinstance(labels, pd.Series) else labels.to_numpy())
        codes, uniques = pd.factorize(series, use_na_sentinel=False)
        resolved = np.empty(len(uniques), dtype=np.int64)
        fn = self.resolve_origin if origin else self.resolve
        for i, label in enumerate(uniques):
            try:
                resolved[i] = fn(label, on)  # type: ignore[arg-type]
            except UnknownCountry as exc:
                first = int(np.flatnonzero(codes == i)[0])
                where = rows[first] if rows is not None else first + 1
                raise exc.located(file=file, row=where, field=field) from None
        return resolved[codes]

    def resolve_origin(self, label: str | int, on: dt.date | None = None, *, file: str | None = None,
                       row: int | None = None, field: str | None = None) -> int:
        """Like :meth:`resolve`, also accepting total (0), other (2003) and unknown (9999999) labels."""
        try:
            user = self._user_code(label, on, origin=True)
        except UnknownCountry as exc:
            raise exc.located(file=file, row=row, field=field) from None
        if user is not None:
            return user
        special = origin_category(label)
        if special is not None:
            return special
        return self.resolve(label, on, file=file, row=row, field=field)

    def _user_code(self, label: object, on: dt.date | None, *, origin: bool) -> int | None:
        """The code a user alias gives ``label`` on ``on``, or None; codes outside the countries table
        only for origins."""
        if not len(self._user) or not isinstance(label, str):
            return None
        code, clash = self._user.match(label, on)
        if clash:
            raise UnknownCountry(f"ambiguous country name {label!r}: user aliases give the codes "
                                 f"{', '.join(map(str, sorted(clash)))}", label=label)
        if code is not None and not origin and code not in _by_code():
            raise UnknownCountry(f"{label!r} is a user alias of code {code}, which is not in the countries "
                                 "table: such codes are accepted for origins only", label=label)
        return code

    # -- rules ----------------------------------------------------------------------------------
    def _resolve(self, label: str | int, on: dt.date | None) -> int:
        if isinstance(label, (bool, np.bool_)) or label is None or (isinstance(label, float) and
                                                                      np.isnan(label)):
            raise UnknownCountry(f"missing or invalid country: {label!r}")
        if isinstance(label, (int, np.integer, float, np.floating)):
            return self._number(label)
        user = self._user_code(label, on, origin=False)
        if user is not None:
            return user
        text = clean(repair_mojibake(str(label)).replace("\u00b4", "'"))  # "People´s" → "People's"
        if re.fullmatch(r"\s*\d{1,9}(\.0+)?\s*", str(label), flags=re.ASCII):
            return self._number(float(text))
        if not text:
            raise UnknownCountry("empty country name")
        code = self._name(text, depth=0)
        if code is None:
            raise UnknownCountry(f"unknown country or area {str(label)!r}{self.suggestion(text)} (add an "
                                 "alias with 'gmrd aliases add' or use an M49 code)", label=str(label))
        return _dated(code, on)

    def suggestion(self, text: str) -> str:
        """"; did you mean Senegal (686)?" for the known name closest to ``text`` (difflib ratio ≥ 0.8),
        or "". Only shown in the error message: a label never resolves by similarity."""
        close = difflib.get_close_matches(country_key(text), self._names, n=1, cutoff=0.8)
        if not close:
            return ""
        area = _by_code()[next(iter(self._names[close[0]]))]
        return f"; did you mean {area.name} ({area.code})?"

    def _number(self, value: float) -> int:
        try:
            in_range = bool(np.isfinite(float(value))) and abs(float(value)) < 1e9
        except OverflowError:
            in_range = False
        if not in_range:
            raise UnknownCountry(f"country code {str(value)[:20]!r} is out of range")
        if float(value) != int(value):
            raise UnknownCountry(f"country code {value!r} is not an integer")
        code = int(value)
        if code in _by_code():
            return code
        if code in self._m49:
            return self._m49[code]
        raise UnknownCountry(f"no country or area has the code {code}")

    def _lookup(self, k: str) -> int | None:
        for layer in self._layers:
            found = layer.get(k)
            if found:
                if len(found) > 1:
                    names = ", ".join(f"{_by_code()[c].name} ({c})" for c in sorted(found))
                    raise UnknownCountry(f"ambiguous country name {k!r}: {names}")
                return next(iter(found))
        return None

    def _name(self, text: str, depth: int) -> int | None:
        k = country_key(text)
        if not k:
            return None
        if k in self._refused:
            raise UnknownCountry(f"{text!r} is not resolved on purpose: {self._refused[k]}")
        for variant in _variants(text, k):
            code = self._lookup(variant)
            if code is not None:
                return code
        if depth > 3:
            return None
        if ":" in text:
            head, _, tail = text.partition(":")
            if country_key(tail) in _IGNORABLE_AFTER_COLON:
                return self._name(head, depth + 1)
            return self._name(tail, depth + 1)
        for sep in (r"\s*/\s*", r"\s+-\s+"):
            parts = [p for p in re.split(sep, text) if p.strip()]
            if len(parts) > 1:
                return self._agreeing(parts, depth) or (
                    self._name(" and ".join(parts), depth + 1) if len(parts) == 2 else None)
        if _FORMER.search(k):
            rest = _FORMER.sub(" ", k)
            rest = re.sub(r"^(total )?components of\b", " ", rest).strip()
            inner = self._name(rest, depth + 1) if rest else None
            if inner is None:
                return None
            if _by_code()[inner].kind == "historical":
                return inner
            return FORMER_OF.get(inner)
        trailing = re.fullmatch(r"(.+?)\s*\(([^()]*)\)", text)
        if trailing and _IGNORABLE_PAREN.fullmatch(trailing.group(2).strip()):
            return self._name(trailing.group(1), depth + 1)
        paren = re.fullmatch(r"(.+?)\s*[(\[]([^)\]]*)[)\]]\s*(.*)", text)
        if paren:
            outer = f"{paren.group(1)} {paren.group(3)}".strip()
            inner_text = paren.group(2).strip()
            if not inner_text or _IGNORABLE_PAREN.fullmatch(inner_text):
                return self._name(outer, depth + 1)
            # "Iran (Islamic Republic of)" as "Iran, Islamic Republic of": brackets for a comma.
            code = self._exact(country_key(f"{outer} {inner_text}"))
            if code is not None and code != REFUSED:
                return code
            return self._agreeing([outer, inner_text], depth)
        parts = [p for p in text.split("-") if p.strip()]
        if len(parts) > 1:
            return self._agreeing(parts, depth) or self._words.read(_variants(text, k))
        return self._words.read(_variants(text, k)) or self._in_other_order(k) or self._coco_whole(k, text)

    def _in_other_order(self, k: str) -> int | None:
        """The one area with a name made of the words of ``k`` in another order, "and" aside; not for
        labels with a direction, whose place changes the area ("Yemen South", "Cyprus North")."""
        if " " not in k or set(k.split()) & _DIRECTIONS:
            return None
        found = self._reordered.get(_word_set(k), set())
        return next(iter(found)) if len(found) == 1 and REFUSED not in found else None

    def _agreeing(self, parts: list[str], depth: int) -> int | None:
        """The one code of a label in parts ("Avusturya-Austria"): every part that resolves gives
        it, and every other part is :meth:`WordReader.vouched` for it ("Polska Rzeczpospolita-Poland")."""
        codes = [self._name(p, depth + 1) for p in parts]
        found = set(codes) - {None}
        if len(found) != 1:
            return None
        code = found.pop()
        others = [country_key(p).split() for p, c in zip(parts, codes) if c is None]
        return code if all(self._words.vouched(words, code) for words in others) else None

    def _exact(self, k: str) -> int | None:
        """The code of a key by the name tables alone; :data:`REFUSED` for a refused name, None for
        an unknown or ambiguous one."""
        if k in self._refused:
            return REFUSED
        try:
            return self._lookup(k)
        except UnknownCountry:
            return None

    def _coco_whole(self, k: str, text: str) -> int | None:
        """The area of country_converter's patterns that match the whole key (not a part of it)."""
        if not self._use_coco or set(k.split()) & _QUALIFIERS or not re.fullmatch(r"[a-z' ]+", k):
            return None
        if self._coco is None:
            self._coco = _coco_patterns()
        if _COCO_TRAPS.search(k):
            return None
        found = {code for pattern, code in self._coco if pattern.fullmatch(k)}
        if len(found) != 1:
            return None
        code = found.pop()
        for part in text.split(",") if "," in text else ():
            exact = self._lookup(country_key(part))
            if exact is not None and exact != code:
                return None
        return code


def _geographic_first(c: Country) -> int:
    order = {"world": 0, "region": 1, "subregion": 2}
    return order.get(c.kind, 3)


_CONNECTIVES = frozenset({"and", "y", "e", "et", "und"})
_DIRECTIONS = frozenset({"north", "south", "east", "west", "northern", "southern", "eastern", "western",
                         "central", "norte", "sur", "nord", "sud"})
_GENERIC_WORDS = {"islas": "islands", "isla": "island", "iles": "islands", "ile": "island", "ilhas": "islands"}


def _word_set(k: str) -> tuple[str, ...]:
    """The words of a key in sorted order, without "and" (y, e, et, und) and with "islands" for the
    Spanish, French and Portuguese word (for :meth:`CountryResolver._in_other_order`)."""
    return tuple(sorted(_GENERIC_WORDS.get(w, w) for w in k.split() if w not in _CONNECTIVES))


def _variants(text: str, k: str) -> Iterable[str]:
    yield k
    if text.count(",") == 1:
        head, tail = text.split(",")
        yield country_key(f"{tail} {head}")


def _dated(code: int, on: dt.date | None) -> int:
    rule = NAME_DATE_RULES.get(code)
    if rule is not None and on is not None and on < rule[0]:
        return rule[1]
    return code


def _refusals() -> dict[str, str]:
    with resources.files("gmrd.reference").joinpath("data/country_refusals.csv").open(encoding="utf-8") as fh:
        table = pd.read_csv(fh, keep_default_na=False, comment="#")
    return {country_key(n): r for n, r in zip(table["name"], table["reason"])}


@cache
def _coco_patterns() -> list[tuple[re.Pattern[str], int]]:
    import country_converter as coco

    data = coco.CountryConverter().data
    by_iso3 = {str(c.iso3): c.code for c in _by_code().values() if c.iso3 and c.kind != "historical"}
    out = []
    for regex, iso3 in zip(data["regex"], data["ISO3"]):
        if isinstance(regex, str) and iso3 in by_iso3:
            out.append((re.compile(regex, re.IGNORECASE), by_iso3[iso3]))
    return out


_TOTAL_WORDS = frozenset(["total", "all", "countries", "country", "foreign", "foreigners", "born", "overseas", "abroad", "of", "birth", "toplam", "poblacion", "nacida", "fuera", "del", "pais", "en", "el", "extranjero", "todos", "los", "paises", "ensemble", "tous", "pays", "総数", "origins"])
_OTHER_WORDS = frozenset(["other", "others", "countries", "country", "otros", "otras", "paises", "outras", "outros", "autres", "pays", "rest", "of", "world", "elsewhere", "diger", "ulkeler"])
_UNKNOWN_WORDS = frozenset(["unknown", "not", "stated", "specified", "unspecified", "various", "country", "of", "birth", "foreign", "born", "no", "declarado", "declarada", "desconocido", "desconocida", "ignorado", "ignorada", "inconnu", "non", "declare", "sin", "informacion", "de", "pais", "nacimiento", "desconhecida", "desconhecido", "nao", "inadequately", "described", "unclassifiable", "reported", "region", "or", "notstated", "dyb"])


def origin_category(label: object) -> int | None:
    """0 (all origins), 2003 (other) or 9999999 (unknown) for such labels and codes; else None."""
    numeric = isinstance(label, str) and re.fullmatch(r"\s*\d{1,9}\s*", label, flags=re.ASCII)
    if isinstance(label, (int, np.integer)) or numeric:
        value = int(label)
        return value if value in (ORIGIN_TOTAL, ORIGIN_OTHER, ORIGIN_UNKNOWN) else None
    words = set(key(label).split())
    if not words:
        return None
    if words <= _TOTAL_WORDS and words & {"total", "all", "toplam", "総数", "ensemble"}:
        return ORIGIN_TOTAL
    if words <= _OTHER_WORDS and words & {"other", "others", "otros", "otras", "outras", "outros", "autres",
                                          "rest", "elsewhere", "diger"}:
        return ORIGIN_OTHER
    if words <= _UNKNOWN_WORDS and words & {"unknown", "stated", "specified", "unspecified", "declarado",
                                            "declarada", "desconocido", "desconocida", "ignorado",
                                            "ignorada", "inconnu", "informacion", "desconhecida",
                                            "desconhecido", "described", "unclassifiable", "reported",
                                            "notstated"}:
        return ORIGIN_UNKNOWN
    return None


_user_aliases: tuple[UserAlias, ...] = ()


@cache
def resolver() -> CountryResolver:
    """The process-wide resolver (built on first use, about a second), with the users' aliases
    of :func:`use_user_aliases`."""
    built = CountryResolver()
    built.use_user_aliases(_user_aliases)
    return built


def use_user_aliases(aliases: Sequence[UserAlias]) -> None:
    """Install the users' aliases (consulted before every built-in rule) in the process-wide resolver,
    now or when it is built (an import installs those of its database)."""
    global _user_aliases
    _user_aliases = tuple(aliases)
    if resolver.cache_info().currsize:
        resolver().use_user_aliases(_user_aliases)


def resolve_country(label: str | int, on: dt.date | None = None, *, file: str | None = None,
                    row: int | None = None, field: str | None = None) -> int:
    """The code of a country or area given by name, ISO3/ISO2 code or M49 number.

    Parameters
    ----------
    label : str or int
        A name in any of the recognized spellings, an ISO 3166 alpha-3/alpha-2 code, or a number
        (the table's code, or an M49 standard aggregate code such as 2 for Africa → 903).
    on : datetime.date, optional
        The reference date: names whose meaning changed resolve for it ("Sudan" in 2008 → 736,
        in 2014 → 729). Without a date names take today's meaning.
    file, row, field : optional
        Where the label comes from, for the error message.

    Raises
    ------
    UnknownCountry
        For an unknown or ambiguous label, naming file, row and field; never a guess.
    """
    return resolver().resolve(label, on, file=file, row=row, field=field)


def resolve_origin(label: str | int, on: dt.date | None = None, *, file: str | None = None,
                   row: int | None = None, field: str | None = None) -> int:
    """Like :func:`resolve_country`, also accepting all-origins (0), other (2003) and unknown (9999999)."""
    return resolver().resolve_origin(label, on, file=file, row=row, field=field)
