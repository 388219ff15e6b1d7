"""Every statistical method cites its source, and every citation in the docs is in the bibliography.

(a) Each public function of the modules that implement statistical methods has a numpydoc
    ``References`` section with at least one entry (STYLE.md: "a References section in every
    docstring"). Helpers that implement no method (input validation, parsing, bookkeeping sums,
    registries) are listed in ``NOT_METHODS`` with the reason.
(b) Every citation key used in docs/*.md (written ``[@key]`` or ``[@key1; @key2]``) is an entry of
    docs/references.bib, and the bibliography has no duplicate keys.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]  # the project root (not conftest's: nested conftests shadow it)

#: Modules whose public functions implement statistical methods (or numerical steps of one).
STATISTICAL_MODULES: tuple[str, ...] = (
    "gmrd.estimate.graduation",
    "gmrd.estimate.graduation.base",
    "gmrd.estimate.graduation.sprague",
    "gmrd.estimate.graduation.beers",
    "gmrd.estimate.graduation.grabill",
    "gmrd.estimate.graduation.mono",
    "gmrd.estimate.graduation.pclm",
    "gmrd.estimate.graduation.uniform",
    "gmrd.estimate.graduation.regroup",
    "gmrd.estimate.graduation.evaluate",
    "gmrd.estimate.ages",
    "gmrd.estimate.calibration",
    "gmrd.estimate.holdout",
    "gmrd.estimate.interpolate",
    "gmrd.estimate.intervals",
    "gmrd.estimate.refugees",
    "gmrd.estimate.crossval",
    "gmrd.survey.variance",
    "gmrd.survey.estimators",
    "gmrd.survey.compare",
    "gmrd.survey.reliability",
    "gmrd.survey.scoring.eq5d",
    "gmrd.survey.scoring.life_satisfaction",
    "gmrd.survey.scoring.derive",
    "gmrd.verify.ages",
    "gmrd.verify.cross_source",
    "gmrd.verify.dates",
    "gmrd.verify.plausibility",
    "gmrd.verify.population",
    "gmrd.verify.series",
    "gmrd.verify.totals",
)

#: Methods of classes, and single functions of modules that are otherwise not statistical.
EXTRA_FUNCTIONS: tuple[str, ...] = (
    "gmrd.survey.design:SurveyDesign.from_frame",
    "gmrd.survey.estimators:Estimate.ci",
    "gmrd.survey.analyze:effect_size",
    "gmrd.survey.analyze:left_behind_table",
)

#: Public functions of the modules above that implement no statistical method, with the reason.
NOT_METHODS: dict[str, str] = {
    "gmrd.estimate.graduation.base.check_groups": "input validation",
    "gmrd.estimate.graduation.base.single_year_result": "assembles the result type",
    "gmrd.estimate.graduation.sprague.check_five_year": "input validation",
    "gmrd.estimate.graduation.regroup.parse_cohort": "parses an age label",
    "gmrd.estimate.graduation.regroup.regroup": "sums of contiguous groups",
    "gmrd.estimate.graduation.regroup.regroup_result": "sums of contiguous groups",
    "gmrd.estimate.graduation.regroup.to_five_year": "sums of contiguous groups",
    "gmrd.survey.estimators.numeric_column": "converts a column to numbers",
    "gmrd.survey.variance.rowsum": "sums per code (R's rowsum), a step of linearized_variance",
    "gmrd.survey.variance.group_keys": "index arithmetic for unit_sums",
    "gmrd.survey.variance.unit_sums": "sums per sampling unit, a step of linearized_variance",
    "gmrd.survey.scoring.eq5d.value_sets": "lists the shipped value sets",
    "gmrd.survey.scoring.eq5d.get_value_set": "looks a value set up by name",
    "gmrd.survey.scoring.eq5d.profile_array": "parses profiles",
    "gmrd.survey.scoring.eq5d.profile_string": "formats profiles",
    "gmrd.verify.totals.age_parents": "maps age groups to the groups they tile",
    "gmrd.verify.totals.source_totals": "selects each source's total cells",
    "gmrd.verify.cross_source.source_points": "one total per source, as a frame",
    "gmrd.verify.cross_source.edition_pairs": "pairs sources by country, date and universe",
    "gmrd.estimate.refugees.curator_overrides": "reads the curator's overrides from the cells",
    "gmrd.estimate.crossval.candidate_grid": "lists the declared candidates",
    "gmrd.estimate.crossval.candidate_estimates": "runs the pipeline once per candidate",
    "gmrd.estimate.crossval.scored": "joins estimates with published figures",
}

REFERENCES = re.compile(r"^\s*References\s*\n\s*-{3,}\s*\n(?P<body>[\s\S]*)", re.MULTILINE)
ENTRY = re.compile(r"^\s*\.\. \[\w+\] \S", re.MULTILINE)
CITATION = re.compile(r"\[(@[^\[\]]+)\]")
KEY = re.compile(r"@([A-Za-z0-9_:.\-]+)")
BIB_ENTRY = re.compile(r"^@\w+\s*\{\s*([^,\s]+)\s*,", re.MULTILINE)


def _public_functions(module: ModuleType) -> list[tuple[str, Callable[..., object]]]:
    return [(f"{module.__name__}.{name}", obj) for name, obj in inspect.getmembers(module, inspect.isfunction)
            if not name.startswith("_") and obj.__module__ == module.__name__]


def _functions() -> list[tuple[str, Callable[..., object]]]:
    found: list[tuple[str, Callable[..., object]]] = []
    for name in STATISTICAL_MODULES:
        found += _public_functions(importlib.import_module(name))
    for spec in EXTRA_FUNCTIONS:
        module_name, attribute = spec.split(":")
        obj: object = importlib.import_module(module_name)
        for part in attribute.split("."):
            obj = getattr(obj, part)
        found.append((f"{module_name}.{attribute}", obj))  # type: ignore[arg-type]
    return [(name, f) for name, f in found if name not in NOT_METHODS]


def _has_references(doc: str | None) -> bool:
    match = REFERENCES.search(inspect.cleandoc(doc or ""))
    return bool(match and ENTRY.search(match.group("body")))


FUNCTIONS = _functions()


def test_the_list_covers_the_methods() -> None:
    names = {name for name, _ in FUNCTIONS}
    for expected in ("gmrd.estimate.graduation.graduate", "gmrd.estimate.graduation.pclm.graduate_pclm",
                     "gmrd.survey.variance.linearized_variance", "gmrd.survey.compare.rao_scott",
                     "gmrd.survey.reliability.cronbach_alpha", "gmrd.survey.scoring.eq5d.eq5d_index",
                     "gmrd.verify.totals.check_age_totals", "gmrd.verify.series.check_time_series"):
        assert expected in names
    assert len(names) > 60


def test_exclusions_name_existing_functions() -> None:
    """A stale entry in NOT_METHODS would hide nothing; keep the list exact."""
    public = {name for module in STATISTICAL_MODULES
              for name, _ in _public_functions(importlib.import_module(module))}
    assert sorted(set(NOT_METHODS) - public) == []


@pytest.mark.parametrize(("name", "function"), FUNCTIONS, ids=[name for name, _ in FUNCTIONS])
def test_statistical_function_has_references(name: str, function: Callable[..., object]) -> None:
    assert _has_references(function.__doc__), (
        f"{name}: add a numpydoc 'References' section (.. [1] Author (year) ...) citing its source")


def _bib_keys() -> list[str]:
    return BIB_ENTRY.findall((ROOT / "docs" / "references.bib").read_text(encoding="utf-8"))


def test_bibliography_keys_are_unique() -> None:
    keys = _bib_keys()
    assert len(keys) > 50
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    assert duplicates == []


def test_every_citation_in_the_docs_is_in_the_bibliography() -> None:
    keys = set(_bib_keys())
    used: dict[str, set[str]] = {}
    for path in sorted((ROOT / "docs").glob("*.md")):
        for group in CITATION.findall(path.read_text(encoding="utf-8")):
            for key in KEY.findall(group):
                used.setdefault(key, set()).add(path.name)
    assert {"sprague1880", "rizzi2015", "lumley_survey", "raoscott1984", "undesa2020ims"} <= set(used)
    missing = {key: sorted(files) for key, files in used.items() if key not in keys}
    assert missing == {}, f"citation keys not in docs/references.bib: {missing}"


def test_patterns_read_citations_and_entries() -> None:
    """The parsers above on known text: two keys in one bracket, an entry key, a section."""
    groups = CITATION.findall("as shown [@rizzi2015; @eilers2007] and [@lumley_survey].")
    assert [KEY.findall(g) for g in groups] == [["rizzi2015", "eilers2007"], ["lumley_survey"]]
    assert BIB_ENTRY.findall("@article{sprague1880,\n  year = {1880}\n}\n") == ["sprague1880"]
    assert _has_references("Summary.\n\nReferences\n----------\n.. [1] Sprague, T.B. (1880) ...\n")
    assert not _has_references("Summary.\n\nNotes\n-----\nNo sources.\n")
