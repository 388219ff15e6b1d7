"""Pilot samples as survey data and as MICS-style files (hh, hl, ch, ma as .sav or .csv), and the
finite-population truth they should recover.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from gmrd.errors import InputError
from gmrd.survey.analyze_frames import child_frame, respondent_frame
from gmrd.survey.load import Keys, SurveyData
from gmrd.survey.load_labels import module_value_labels
from gmrd.survey.pilot.population import COUNTRIES, Population, simulate_population
from gmrd.survey.pilot.sample import PilotSample, SampleSpec, sample_population

FILE_NAMES: dict[str, str] = {"households": "hh", "members": "hl", "children": "ch", "abroad": "ma"}
VARIABLE_LABELS: dict[str, str] = {
    "HH1": "Cluster number", "HH2": "Household number", "HH7": "Region", "stratum": "Stratum",
    "hhweight": "Household sample weight", "HL1": "Line number", "HL3": "Relationship to the head",
    "HL4": "Sex", "HL6": "Age", "LN": "Line number", "MA1": "Former member lives abroad",
    "MA2": "Number of former members abroad", "RM1": "Received remittances in the last 12 months",
    "MOTHER_RES": "Residence of natural mother", "FATHER_RES": "Residence of natural father",
}


def survey_data(tables: PilotSample | Population) -> SurveyData:
    """A sample or a population as linked survey tables (no files)."""
    return SurveyData(tables.households, tables.members, tables.children, tables.abroad, Keys())


def population_truth(population: Population) -> dict[str, float]:
    """Finite-population values of the main indicators (what the estimates should cover).

    ``share_left_behind``/``number_left_behind``: children 0-17 with a parent abroad;
    ``ladder_migrant``/``ladder_non_migrant``/``ladder_difference`` (migrant - non-migrant) and the
    same for ``eq5d_lss``: children 10-17; ``share_receiving``: migrant-sending households that
    received remittances.
    """
    data = survey_data(population)
    return truth_from_frames(child_frame(data, ["HH7"]), respondent_frame(data, ["HH7"]), population.households)


def truth_from_frames(kids: pd.DataFrame, resp: pd.DataFrame, households: pd.DataFrame) -> dict[str, float]:
    """:func:`population_truth` from the population's analysis frames (built once by the caller)."""
    truth: dict[str, float] = {"share_left_behind": float(kids["lb_any"].mean()),
                               "number_left_behind": float(kids["lb_any"].sum()),
                               "children": float(len(kids)), "households": float(len(households))}
    for outcome in ("ladder", "eq5d_lss"):
        groups = resp.groupby("migrant")[outcome].mean()
        truth[f"{outcome}_migrant"] = float(groups["Migrant household"])
        truth[f"{outcome}_non_migrant"] = float(groups["Non-migrant household"])
        truth[f"{outcome}_difference"] = float(groups["Migrant household"] - groups["Non-migrant household"])
    sending = households["MA1"] == 1
    truth["share_receiving"] = float((households.loc[sending, "RM1"] == 1).mean())
    return truth


def _labels(frame: pd.DataFrame, regions: tuple[str, ...]) -> dict[str, dict[int, str]]:
    labels = module_value_labels(frame.columns)
    if "HH7" in frame.columns:
        labels["HH7"] = {i + 1: name for i, name in enumerate(regions)}
        labels["stratum"] = labels["HH7"]
    for name in ("MOTHER_RES", "FATHER_RES"):
        if name in frame.columns:
            from gmrd.survey.modules.roster import RESIDENCE

            labels[name] = {code: text.replace("_", " ") for code, text in RESIDENCE.items()}
    for name in ("MA1", "RM1", "LS_SCHOOL", "LS_JOB"):
        if name in frame.columns:
            labels[name] = {1: "Yes", 2: "No"}
    return labels


def write_files(sample: PilotSample, folder: Path, *, regions: tuple[str, ...],
                fmt: Literal["sav", "csv"] = "sav") -> dict[str, Path]:
    """Write hh, hl, ch and ma files; .sav files carry the questionnaire's value labels."""
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for role, stem in FILE_NAMES.items():
        frame: pd.DataFrame = getattr(sample, role)
        path = folder / f"{stem}.{fmt}"
        if fmt == "csv":
            frame.to_csv(path, index=False)
        else:
            import pyreadstat

            out = frame.copy()
            for column in out.columns:  # pyreadstat writes numbers as doubles; keep text as text
                if out[column].dtype == bool:
                    out[column] = out[column].astype(float)
            pyreadstat.write_sav(out, str(path), variable_value_labels=_labels(out, regions),  # type: ignore[arg-type]
                                 column_labels={c: VARIABLE_LABELS.get(c, c) for c in out.columns})
        written[role] = path
    return written


def generate_pilot(country: str, folder: Path, *, seed: int = 1, fmt: Literal["sav", "csv"] = "sav",
                   sample: SampleSpec | None = None) -> dict[str, Any]:
    """Simulate country A or B, draw one two-stage sample, write its files and ``truth.json``.

    Returns the manifest written to ``truth.json``: country, sample design, files and the
    finite-population truth (:func:`population_truth`).
    """
    key = country.strip().upper()
    if key not in COUNTRIES:
        raise InputError(f"unknown pilot country {country!r} (choose {', '.join(COUNTRIES)})", field="country")
    spec = COUNTRIES[key]
    population = simulate_population(spec)
    design = sample or SampleSpec()
    drawn = sample_population(population, design, seed=seed)
    files = write_files(drawn, folder, regions=spec.regions, fmt=fmt)
    manifest: dict[str, Any] = {
        "country": spec.name, "effect_sd": spec.effect, "seed": seed,
        "sample": {"method": design.method, "clusters_per_stratum": design.clusters_per_stratum,
                   "households_per_cluster": design.households_per_cluster},
        "design": {"weights": "hhweight", "strata": "stratum", "clusters": ["HH1"]},
        "files": {role: path.name for role, path in files.items()},
        "truth": population_truth(population),
        "sample_sizes": {"households": len(drawn.households), "members": len(drawn.members),
                         "children": len(drawn.children), "abroad": len(drawn.abroad)},
    }
    (folder / "truth.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest

