"""The analysis configuration (``survey.yaml``): design, files and join keys, variables, outputs.

See ``examples/survey.yaml`` and ``docs/survey.md`` for every key. The file is read with a YAML loader
that refuses aliases (``*name``: a few hundred bytes of nested aliases expand to gigabytes, the
"billion laughs" of YAML) and is at most :data:`MAX_CONFIG_BYTES`; every value is checked for its type
before it is used, and ``files:`` entries must be bare file names (:func:`gmrd.survey.load.check_file_name`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from gmrd.errors import InputError
from gmrd.survey.design import LONELY_PSU_CHOICES
from gmrd.survey.load import ROLES, Keys, check_file_name

MAX_CONFIG_BYTES = 1 << 20
"""Largest accepted configuration file (a survey.yaml is a few kilobytes)."""
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


class _NoAliasLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing aliases (``*name``) where it would expand them."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not accepted: write the "
                                              "value out", mark)
        return super().compose_node(parent, index)


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


def _text(value: Any, where: str, field_name: str) -> str:
    """A scalar value (a column name, a title) as text; a list or mapping is refused before any conversion."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise InputError(f"give a text value, not a {type(value).__name__}", file=where, field=field_name)
    return str(value)


def _optional_text(value: Any, where: str, field_name: str) -> str | None:
    return None if value is None else _text(value, where, field_name)


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
    lonely = _text(d.get("lonely_psu", "fail"), where, "design.lonely_psu")
    if lonely not in LONELY_PSU_CHOICES:
        raise InputError(f"lonely_psu must be one of {', '.join(LONELY_PSU_CHOICES)}", file=where,
                         field="design.lonely_psu")
    design = DesignSpec(_optional_text(d.get("weights"), where, "design.weights"),
                        _optional_text(d.get("strata"), where, "design.strata"),
                        _names(d.get("clusters"), where, "design.clusters"),
                        _names(d.get("fpc"), where, "design.fpc"), lonely, bool(d.get("nest", False)))
    files = {role: check_file_name(name, file=where, field=f"files.{role}")
             for role, name in _section(raw, "files", set(ROLES), where).items()}
    k = _section(raw, "keys", {"cluster", "household", "line", "child_line", "abroad_line"}, where)
    keys = Keys(**{name: _text(value, where, f"keys.{name}") for name, value in k.items()})
    v = _section(raw, "variables", {"region", "sex", "age", "migrant"}, where)
    variables = {name: _text(v.get(name, default), where, f"variables.{name}")
                 for name, default in (("sex", "HL4"), ("age", "HL6"), ("migrant", "MA1"))}
    orphans = _text(raw.get("orphans", "error"), where, "orphans")
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
    scalar = (str, int, float)
    if not isinstance(labels, dict) or not all(
            isinstance(m, dict) and all(isinstance(c, scalar) and isinstance(t, scalar) for c, t in m.items())
            for m in labels.values()):
        raise InputError("labels must map variables to {code: label}", file=where, field="labels")
    return AnalysisConfig(design=design, files=files, keys=keys, orphans=orphans,
                          region=_optional_text(v.get("region", "HH7"), where, "variables.region"),
                          **variables, value_set=_optional_text(raw.get("value_set"), where, "value_set"),
                          level=level, outputs=outputs,
                          title=_text(raw.get("title", AnalysisConfig.title), where, "title"), labels=labels)


def read_config(path: Path) -> AnalysisConfig:
    """Read and validate a YAML configuration file (at most :data:`MAX_CONFIG_BYTES`, no aliases)."""
    if not path.is_file():
        raise InputError("configuration file not found", file=str(path))
    if path.stat().st_size > MAX_CONFIG_BYTES:
        raise InputError(f"the configuration is over {MAX_CONFIG_BYTES:,} bytes", file=str(path))
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_NoAliasLoader)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InputError(f"not valid YAML: {' '.join(str(exc).split())}", file=str(path)) from None
    return parse_config(raw, str(path))
