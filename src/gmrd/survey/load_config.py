"""The analysis configuration (``survey.yaml``): design, files and join keys, variables, outputs.

See ``examples/survey.yaml`` and ``docs/survey.md`` for every key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gmrd.errors import InputError
from gmrd.survey.design import LONELY_PSU_CHOICES
from gmrd.survey.load import ROLES, Keys

OUTPUTS: tuple[str, ...] = ("left_behind", "wellbeing", "remittances", "reliability")


@dataclass(frozen=True)
class DesignSpec:
    """Design variables of the household file (as ``SurveyDesign.from_frame``)."""

    weights: str | None = None
    strata: str | None = None
    clusters: tuple[str, ...] = ()
    fpc: tuple[str, ...] = ()
    lonely_psu: str = "fail"
    nest: bool = False

    def columns(self) -> list[str]:
        return [c for c in (self.weights, self.strata, *self.clusters, *self.fpc) if c]


@dataclass(frozen=True)
class AnalysisConfig:
    """Everything ``gmrd survey analyze`` needs besides the data."""

    design: DesignSpec = DesignSpec()
    files: dict[str, str] = field(default_factory=dict)
    keys: Keys = field(default_factory=Keys)
    orphans: str = "error"
    region: str | None = "HH7"
    sex: str = "HL4"
    age: str = "HL6"
    migrant: str = "MA1"
    value_set: str | None = None
    level: float = 0.95
    outputs: tuple[str, ...] = OUTPUTS
    title: str = "Children left behind: survey report"
    labels: dict[str, dict[Any, str]] = field(default_factory=dict)


def _section(raw: dict[str, Any], name: str, allowed: set[str], where: str) -> dict[str, Any]:
    value = raw.get(name) or {}
    if not isinstance(value, dict):
        raise InputError(f"'{name}' must be a mapping", file=where, field=name)
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise InputError(f"unknown key(s) {', '.join(map(str, unknown))} (allowed: {', '.join(sorted(allowed))})",
                         file=where, field=f"{name}.{unknown[0]}")
    return value


def _names(value: Any, where: str, field_name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise InputError("give a column name or a list of column names", file=where, field=field_name)


def parse_config(raw: Any, where: str = "survey.yaml") -> AnalysisConfig:
    """Validate a parsed YAML document; errors name the key."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise InputError("the configuration must be a mapping of keys", file=where)
    top = {"design", "files", "keys", "orphans", "variables", "value_set", "level", "outputs", "title", "labels"}
    unknown = sorted(set(raw) - top)
    if unknown:
        raise InputError(f"unknown key(s) {', '.join(map(str, unknown))} (allowed: {', '.join(sorted(top))})",
                         file=where, field=str(unknown[0]))
    d = _section(raw, "design", {"weights", "strata", "clusters", "fpc", "lonely_psu", "nest"}, where)
    lonely = str(d.get("lonely_psu", "fail"))
    if lonely not in LONELY_PSU_CHOICES:
        raise InputError(f"lonely_psu must be one of {', '.join(LONELY_PSU_CHOICES)}", file=where,
                         field="design.lonely_psu")
    design = DesignSpec(d.get("weights"), d.get("strata"), _names(d.get("clusters"), where, "design.clusters"),
                        _names(d.get("fpc"), where, "design.fpc"), lonely, bool(d.get("nest", False)))
    files = _section(raw, "files", set(ROLES), where)
    k = _section(raw, "keys", {"cluster", "household", "line", "child_line", "abroad_line"}, where)
    keys = Keys(**{name: str(value) for name, value in k.items()})
    v = _section(raw, "variables", {"region", "sex", "age", "migrant"}, where)
    orphans = str(raw.get("orphans", "error"))
    if orphans not in ("error", "drop"):
        raise InputError("orphans must be error or drop", file=where, field="orphans")
    outputs = _names(raw.get("outputs", list(OUTPUTS)), where, "outputs")
    bad = [o for o in outputs if o not in OUTPUTS]
    if bad:
        raise InputError(f"unknown output {bad[0]!r} (choose from {', '.join(OUTPUTS)})", file=where, field="outputs")
    try:
        level = float(raw.get("level", 0.95))
    except (TypeError, ValueError):
        raise InputError("level must be a number between 0 and 1", file=where, field="level") from None
    if not 0 < level < 1:
        raise InputError("level must be between 0 and 1", file=where, field="level")
    labels = raw.get("labels") or {}
    if not isinstance(labels, dict) or not all(isinstance(m, dict) for m in labels.values()):
        raise InputError("labels must map variables to {code: label}", file=where, field="labels")
    return AnalysisConfig(design=design, files={str(a): str(b) for a, b in files.items()}, keys=keys,
                          orphans=orphans, region=v.get("region", "HH7"), sex=str(v.get("sex", "HL4")),
                          age=str(v.get("age", "HL6")), migrant=str(v.get("migrant", "MA1")),
                          value_set=raw.get("value_set"), level=level, outputs=outputs,
                          title=str(raw.get("title", AnalysisConfig.title)), labels=labels)


def read_config(path: Path) -> AnalysisConfig:
    """Read and validate a YAML configuration file."""
    import yaml

    if not path.is_file():
        raise InputError("configuration file not found", file=str(path))
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InputError(f"not valid YAML: {exc}", file=str(path)) from None
    return parse_config(raw, str(path))
