"""What the demo generator wrote and what it broke on purpose (manifest.json), for measuring recall."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

MANIFEST_FILE = "manifest.json"
ERROR_KINDS = ("sex_total_mismatch", "age_sum_mismatch", "year_only_date", "duplicate_source_conflict")


@dataclass(frozen=True)
class GeneratedTable:
    """One tabulation in one file and how it was derived from the published estimates."""

    file: str
    country_code: int
    country_label: str
    reference_date: str
    source_type: str
    concept: str
    source_title: str
    kind: str
    format: str
    grouping: str
    base_year: int
    rate: float
    factor: float
    published_totals: dict[str, float]
    published_source: str


@dataclass(frozen=True)
class InjectedError:
    """A deliberate error: which source and which cells (sex, age, origin labels as written)."""

    kind: str
    file: str
    country_code: int
    reference_date: str
    source_title: str
    cells: list[dict[str, Any]]
    description: str


@dataclass
class Manifest:
    seed: int
    citation: str
    licence: str
    tables: list[GeneratedTable] = field(default_factory=list)
    errors: list[InjectedError] = field(default_factory=list)
    published: list[str] = field(default_factory=list)  # files of published estimates, copied as they are

    @property
    def files(self) -> list[str]:
        return sorted({t.file for t in self.tables} | set(self.published))

    def to_dict(self) -> dict[str, Any]:
        return {"seed": self.seed, "citation": self.citation, "licence": self.licence, "files": self.files,
                "published": self.published, "tables": [asdict(t) for t in self.tables], "errors": [asdict(e) for e in self.errors]}

    def write(self, folder: Path) -> Path:
        path = folder / MANIFEST_FILE
        path.write_text(json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return path

    @classmethod
    def read(cls, path: Path) -> Manifest:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return cls(raw["seed"], raw["citation"], raw["licence"],
                   [GeneratedTable(**t) for t in raw["tables"]], [InjectedError(**e) for e in raw["errors"]],
                   list(raw.get("published", [])))
