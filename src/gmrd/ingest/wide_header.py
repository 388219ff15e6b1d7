"""What a wide table says about itself besides its numbers: sex and concept inside column headers
("Male foreign-born", "Foreign citizens, females"), and the example metadata block an error shows,
built from the file's own title and name ("Country: Ghana" for a Ghana table).
"""

from __future__ import annotations

import re
from pathlib import Path

from gmrd.errors import InputError
from gmrd.reference.countries import country
from gmrd.reference.country_names import resolve_country
from gmrd.reference.normalize import key
from gmrd.reference.sexes import parse_sex

CONCEPTS = {"foreign born": "foreign-born", "foreignborn": "foreign-born", "born abroad": "foreign-born",
            "born outside the country": "foreign-born", "immigrants": "foreign-born",
            "foreign citizens": "foreign citizens", "foreign citizen": "foreign citizens",
            "foreign nationals": "foreign citizens", "foreigners": "foreign citizens",
            "non citizens": "foreign citizens", "noncitizens": "foreign citizens"}
_CONCEPT = re.compile(r"\b(" + "|".join(sorted(map(re.escape, CONCEPTS), key=len, reverse=True)) + r")\b")
_FILLER = frozenset({"population", "persons", "people", "number", "of", "all"})
# words that never begin or end a country's name in a title ("in the" must not read as IN, India)
_EDGE_WORDS = frozenset({"in", "of", "the", "and", "by", "for", "from", "to", "at", "on", "de", "du", "la",
                         "le", "el", "en", "y", "et", "des", "los", "las", "per", "a", "an", "no", "table",
                         "census"})
_AREA_KINDS = ("country", "territory", "historical")
_COUNTRY_WORD = re.compile(r"[^\W\d_][\w'’.-]*", re.UNICODE)


def sex_and_concept(label: str) -> tuple[str, str] | None:
    """("male", "foreign-born") for "Male foreign-born", ("female", "foreign citizens") for "Foreign
    citizens, females", ("total", "foreign-born") for "Foreign-born" alone; None when the header names
    no concept or has words besides a sex and a concept (then it is an ordinary category)."""
    k = key(label)
    found = _CONCEPT.search(k)
    if found is None:
        return None
    rest = [w for w in (k[:found.start()] + " " + k[found.end():]).split() if w not in _FILLER]
    sex = " ".join(rest) or "total"
    try:
        parse_sex(sex)
    except InputError:
        return None
    return sex, CONCEPTS[found.group(1)]


def _context(file: str, title_lines: list[str]) -> str:
    name = file.split(", sheet ")[0]
    sheet = file.split(", sheet ")[1].strip("'") if ", sheet " in file else ""
    stem = re.sub(r"[_\-.]+", " ", Path(name).stem)
    return " ".join([*title_lines, stem, sheet])


def _country_in(context: str) -> str | None:
    """The first country named in ``context`` (longest word run first), by the exact name rules."""
    words = _COUNTRY_WORD.findall(context)
    for i in range(len(words)):
        for n in (4, 3, 2, 1):
            if i + n > len(words):
                continue
            run = [w.strip(".,'’") for w in words[i:i + n]]
            phrase = " ".join(run)
            if (run[0].lower() in _EDGE_WORDS or run[-1].lower() in _EDGE_WORDS
                    or len(key(phrase).replace(" ", "")) < 4 or key(phrase) in _FILLER):
                continue
            try:
                code = resolve_country(phrase)
            except InputError:
                continue
            area = country(code)
            if area.kind in _AREA_KINDS:
                return area.name
    return None


def example_lines(missing: list[str], file: str, title_lines: list[str]) -> list[str]:
    """Example metadata lines for the ``missing`` keys, from what the file's title and name say."""
    context = _context(file, title_lines)
    lower = context.lower()
    year = re.search(r"\b(1[89]\d\d|20\d\d)\b", context)
    census = re.search(r"\b(census|censo|recensement|censu)", lower)
    born = re.search(r"born|birth|naissance|nacimiento|nacid", lower)
    citizens = re.search(r"citizen|nationalit|foreigner|extranjer|etranger|étranger", lower)
    examples = {
        "country": f"Country: {_country_in(context) or '<the country of the census>'}",
        "reference_date": f"Reference date: {year.group(1) if year else 'YYYY'}-MM-DD",
        "source_type": "Source type: " + ("census" if census else "census | register | survey"),
        "concept": "Concept: " + ("foreign-born" if born and not citizens else
                                  "foreign citizens" if citizens and not born else
                                  "foreign-born | foreign citizens"),
    }
    return [examples[k] for k in missing]
