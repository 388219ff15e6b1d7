"""Read left-behind survey files and link them: CSV, SPSS .sav, Stata .dta, ODK/Kobo exports, and
MICS-style linked files (households, household members, children, members abroad).

MICS distributes one file per questionnaire (hh, hl, wm, ch, …) linked by cluster (HH1),
household (HH2) and line numbers (HL1 in the roster, LN in the individual files). :func:`link_tables`
checks that the keys are present and unique and that every member belongs to an interviewed
household and every child to a listed member ("orphans"): an error by default, or dropped with a
warning. Value labels of .sav/.dta files are checked against the questionnaire
(:mod:`gmrd.survey.load_labels`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from gmrd.errors import InputError
from gmrd.survey.load_labels import check_value_labels

OrphanPolicy = Literal["error", "drop"]
ROLES: tuple[str, ...] = ("households", "members", "children", "abroad")
DEFAULT_FILES: dict[str, str] = {"households": "hh", "members": "hl", "children": "ch", "abroad": "ma"}
"""File stems looked for in a data folder when the configuration names no files (any extension)."""


@dataclass(frozen=True)
class Keys:
    """Join keys: cluster and household in every file, line numbers in the member-level files."""

    cluster: str = "HH1"
    household: str = "HH2"
    line: str = "HL1"
    child_line: str = "LN"
    abroad_line: str = "MA_LINE"


@dataclass(frozen=True)
class LabelledTable:
    """A data frame with the value labels and variable labels its file carried (empty for CSV)."""

    frame: pd.DataFrame
    file: str
    value_labels: dict[str, dict[Any, str]] = field(default_factory=dict)
    variable_labels: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SurveyData:
    """Linked survey tables.

    ``households`` one row per interviewed household; ``members`` the roster; ``children`` the
    individual questionnaires of children (may be empty); ``abroad`` one row per member abroad
    (may be empty); ``warnings`` what the user should know about the files.
    """

    households: pd.DataFrame
    members: pd.DataFrame
    children: pd.DataFrame
    abroad: pd.DataFrame
    keys: Keys = Keys()
    value_labels: dict[str, dict[Any, str]] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


def read_table(path: Path) -> LabelledTable:
    """Read one file (.csv, .sav/.zsav, .dta) with its value and variable labels.

    Raises
    ------
    InputError
        Unsupported type, missing file, or a file the reader cannot parse (naming the file).
    """
    from gmrd.commands.survey_estimate import read_survey_file

    suffix = path.suffix.lower()
    if suffix == ".csv":
        return LabelledTable(read_survey_file(path), str(path))
    if suffix not in (".sav", ".zsav", ".dta"):
        raise InputError(f"unsupported file type {path.suffix!r} (use .csv, .sav, .dta, or an ODK/Kobo "
                         ".zip/.xlsx export)", file=str(path))
    if not path.is_file():
        raise InputError("file not found", file=str(path))
    import pyreadstat

    reader = pyreadstat.read_dta if suffix == ".dta" else pyreadstat.read_sav
    try:
        frame, meta = reader(str(path))
    except (ValueError, OSError, UnicodeDecodeError, pyreadstat.ReadstatError, pyreadstat.PyreadstatError) as exc:
        raise InputError(f"cannot read the file: {exc}", file=str(path)) from None
    labels = {str(k): dict(v) for k, v in (meta.variable_value_labels or {}).items()}
    variable_labels = {str(k): str(v) for k, v in (meta.column_names_to_labels or {}).items() if v}
    return LabelledTable(frame, str(path), labels, variable_labels)


def _require(table: LabelledTable, columns: list[str]) -> None:
    missing = [c for c in columns if c not in table.frame.columns]
    if missing:
        raise InputError(f"join key column(s) {', '.join(missing)} not found (columns: "
                         f"{', '.join(map(str, table.frame.columns[:12]))}…)", file=table.file, field=missing[0])
    for column in columns:
        values = pd.to_numeric(table.frame[column], errors="coerce")
        bad = np.flatnonzero(values.isna().to_numpy())
        if bad.size:
            raise InputError("join key is missing or not a number", file=table.file, row=int(bad[0]) + 1,
                             field=column)


def _unique(table: LabelledTable, columns: list[str]) -> None:
    duplicated = table.frame.duplicated(subset=columns, keep="first").to_numpy()
    if duplicated.any():
        row = int(np.flatnonzero(duplicated)[0])
        values = ", ".join(f"{c}={table.frame[c].iloc[row]}" for c in columns)
        raise InputError(f"duplicate key ({values}): each row must have its own {'/'.join(columns)}",
                         file=table.file, row=row + 1, field=columns[-1])


def _orphans(child: LabelledTable, child_keys: list[str], parent: pd.DataFrame, parent_keys: list[str],
             what: str, policy: OrphanPolicy, warnings: list[str]) -> pd.DataFrame:
    """Rows of ``child`` whose keys match no row of ``parent``: an error, or dropped with a warning."""
    index = pd.MultiIndex.from_frame(parent[parent_keys].apply(pd.to_numeric).astype("int64"))
    keys = pd.MultiIndex.from_frame(child.frame[child_keys].apply(pd.to_numeric).astype("int64"))
    orphan = ~keys.isin(index)
    if not orphan.any():
        return child.frame
    row = int(np.flatnonzero(orphan)[0])
    values = ", ".join(f"{c}={child.frame[c].iloc[row]}" for c in child_keys)
    message = f"{int(orphan.sum())} row(s) with no matching {what} (first: {values})"
    if policy == "error":
        raise InputError(message + "; set orphans: drop in the configuration to leave them out",
                         file=child.file, row=row + 1, field=child_keys[-1])
    warnings.append(f"{child.file}: {message}; left out")
    return child.frame.loc[~orphan].reset_index(drop=True)


def link_tables(households: LabelledTable, members: LabelledTable, children: LabelledTable | None = None,
                abroad: LabelledTable | None = None, *, keys: Keys = Keys(),
                orphans: OrphanPolicy = "error", check_labels: bool = True) -> SurveyData:
    """Link MICS-style files on cluster, household and line numbers, with checks for orphans.

    Parameters
    ----------
    households : one row per household (keys cluster, household)
    members : household roster (keys cluster, household, line)
    children : individual questionnaires of children (keys cluster, household, child_line), optional
    abroad : members abroad (keys cluster, household, abroad_line), optional
    keys : column names of the keys
    orphans : ``"error"`` (default) or ``"drop"`` (leave unmatched rows out, with a warning)
    check_labels : compare value labels with the questionnaire's codes

    Returns
    -------
    SurveyData

    Raises
    ------
    InputError
        A missing or non-numeric key, a duplicate key, an orphan row (policy ``"error"``), or value
        labels that collide with the questionnaire's codes; each names file, row and field.

    References
    ----------
    .. [1] UNICEF (2020). MICS6 data processing: structure of the standard data files (hh, hl, wm,
       ch) and their linking variables HH1, HH2, HL1/LN. https://mics.unicef.org/tools
    """
    if orphans not in ("error", "drop"):
        raise InputError(f"orphans must be 'error' or 'drop', not {orphans!r}", field="orphans")
    hh_keys = [keys.cluster, keys.household]
    warnings: list[str] = []
    labels: dict[str, dict[Any, str]] = {}
    for table in (households, members, children, abroad):
        if table is not None:
            if check_labels:
                warnings += check_value_labels(table.value_labels, file=table.file)
            for variable, mapping in table.value_labels.items():
                labels.setdefault(variable, mapping)
    _require(households, hh_keys)
    _unique(households, hh_keys)
    _require(members, hh_keys + [keys.line])
    _unique(members, hh_keys + [keys.line])
    member_frame = _orphans(members, hh_keys, households.frame, hh_keys, "household", orphans, warnings)
    child_frame = pd.DataFrame(columns=hh_keys + [keys.child_line])
    if children is not None:
        _require(children, hh_keys + [keys.child_line])
        _unique(children, hh_keys + [keys.child_line])
        child_frame = _orphans(children, hh_keys + [keys.child_line], member_frame, hh_keys + [keys.line],
                               "household member", orphans, warnings)
    abroad_frame = pd.DataFrame(columns=hh_keys + [keys.abroad_line])
    if abroad is not None:
        _require(abroad, hh_keys)
        abroad_frame = _orphans(abroad, hh_keys, households.frame, hh_keys, "household", orphans, warnings)
    return SurveyData(households.frame, member_frame, child_frame, abroad_frame, keys, labels, tuple(warnings))


def check_file_name(name: Any, *, field: str, file: str | None = None) -> str:
    """A ``files:`` entry: the bare name of a file in the data folder (a member of an uploaded archive).

    No folder separators, no absolute path, no ``.``/``..``, no control characters: the configuration
    names files of the data it comes with, never other files of the machine that runs the analysis.
    """
    bare = isinstance(name, str) and name not in ("", ".", "..") and name.isprintable()
    if not bare or any(c in name for c in "/\\:"):
        raise InputError("give the bare name of a file in the data folder (no folder, no absolute path, "
                         "no '..')", file=file, field=field)
    return name


def _inside(root: Path, path: Path) -> bool:
    """``path`` resolves (links followed) to a file directly inside ``root`` (itself resolved)."""
    resolved = path.resolve()
    return resolved.parent == root and resolved.is_file()


def find_files(folder: Path, files: Mapping[str, str] | None = None) -> dict[str, Path]:
    """The linked files in a folder: those named in ``files`` (role → file name), else hh/hl/ch/ma.*

    Every file is checked after resolution (links followed) to lie directly inside ``folder``; a name
    with a folder part is refused (:func:`check_file_name`), so no file outside the data is ever read.
    """
    found: dict[str, Path] = {}
    root = folder.resolve()
    if files:
        unknown = sorted(set(files) - set(ROLES))
        if unknown:
            raise InputError(f"unknown file role(s) {', '.join(unknown)} (use {', '.join(ROLES)})", field="files")
        for role, name in files.items():
            path = folder / check_file_name(name, field=f"files.{role}")
            if not _inside(root, path):
                raise InputError("file not found in the data folder", file=str(path), field=f"files.{role}")
            found[role] = path
    else:
        for role, stem in DEFAULT_FILES.items():
            matches = sorted(p for p in folder.iterdir() if p.stem.lower() == stem
                             and p.suffix.lower() in (".sav", ".zsav", ".dta", ".csv") and _inside(root, p))
            if matches:
                found[role] = matches[0]
    for role in ("households", "members"):
        if role not in found:
            raise InputError(f"no {role} file (looked for {DEFAULT_FILES[role]}.sav/.dta/.csv; name it under "
                             f"files: {role}: in the configuration)", file=str(folder))
    return found


def split_flat(table: LabelledTable, keys: Keys, household_columns: list[str] | None = None) -> tuple[
        LabelledTable, LabelledTable]:
    """One row per household member (household variables repeated) → households and members tables.

    The household table keeps, for each household, the first row's values of the columns that are
    constant within every household (or of ``household_columns``).
    """
    hh_keys = [keys.cluster, keys.household]
    _require(table, hh_keys)
    frame = table.frame
    if household_columns is None:
        varying = frame.groupby(hh_keys, sort=False).nunique(dropna=False).max()
        household_columns = [c for c in frame.columns if c not in hh_keys and varying.get(c, 2) <= 1]
    households = frame.drop_duplicates(subset=hh_keys)[hh_keys + household_columns].reset_index(drop=True)
    return (LabelledTable(households, table.file, table.value_labels),
            LabelledTable(frame, table.file, table.value_labels, table.variable_labels))


def load_survey(data: Path, *, files: Mapping[str, str] | None = None, keys: Keys = Keys(),
                orphans: OrphanPolicy = "error") -> SurveyData:
    """Load survey data from a folder of linked files, an ODK/Kobo export, or one flat file.

    Parameters
    ----------
    data : a folder with MICS-style files (hh, hl, ch, ma; .sav, .dta or .csv), an ODK Central
        .zip or Kobo .xlsx export (:mod:`gmrd.survey.load_odk`), or one .csv/.sav/.dta file with one
        row per household member
    files : role → file name inside the folder (roles: households, members, children, abroad)
    keys : join key columns
    orphans : ``"error"`` or ``"drop"``
    """
    if data.is_dir():
        paths = find_files(data, files)
        tables = {role: read_table(path) for role, path in paths.items()}
        return link_tables(tables["households"], tables["members"], tables.get("children"), tables.get("abroad"),
                           keys=keys, orphans=orphans)
    if not data.exists():
        raise InputError("file or folder not found", file=str(data))
    if data.suffix.lower() in (".zip", ".xlsx"):
        from gmrd.survey.load_odk import odk_survey

        return odk_survey(data, keys=keys, orphans=orphans)
    households, members = split_flat(read_table(data), keys)
    return link_tables(households, members, keys=keys, orphans=orphans)
