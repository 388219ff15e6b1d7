"""ODK Central and KoboToolbox exports: group paths in variable names, repeat groups as linked tables.

* ODK Central "CSV files (.zip)": the main table ``<form>.csv`` with column names prefixed by their
  groups joined with ``-`` (``rm-RM2``) and a ``KEY`` per submission; one ``<form>-<repeat>.csv`` per
  repeat group whose ``PARENT_KEY`` points at the row it belongs to.
* KoboToolbox "XLS" export: the main sheet with ``_index`` per submission and one sheet per repeat
  group with ``_parent_index`` (and ``_parent_table_name``); with "XML values and headers" the
  column names are group paths joined with ``/`` (``rm/RM2``, ``rm/RM3/bank`` for a choice of a
  select_multiple question).

Group prefixes are removed (``rm/RM2`` → ``RM2``), choice columns of select_multiple questions become
``RM3_bank``, and each repeat row gets its submission's cluster and household numbers, so the roster
repeat ``hl`` becomes the members table and ``ma`` the members abroad.

References
----------
.. [1] ODK Central documentation, "Submissions: exporting CSV (.zip)". https://docs.getodk.org/central-submissions/
.. [2] KoboToolbox documentation, "Exporting and downloading your data" (XLS with repeat groups on
   separate sheets). https://support.kobotoolbox.org/export_download.html
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd

from gmrd.errors import InputError
from gmrd.survey.load import Keys, LabelledTable, OrphanPolicy, SurveyData, link_tables

REPEAT_ROLES: dict[str, str] = {"hl": "members", "ma": "abroad", "ch": "children"}
"""Repeat group name → table role (the roster's ``hl``, the migration module's ``ma``)."""


def _select_multiple_names() -> set[str]:
    from gmrd.survey.modules import MODULES

    return {item.name for module in MODULES for item in module.survey if item.type.startswith("select_multiple")}


def plain_name(column: str, separator: str = "/", multiple: set[str] | None = None) -> str:
    """A variable name without its group path; a select_multiple choice column → ``VAR_choice``.

    Examples
    --------
    >>> plain_name("rm/RM2"), plain_name("rm/RM3/bank", multiple={"RM3"}), plain_name("_index")
    ('RM2', 'RM3_bank', '_index')
    """
    parts = [p for p in str(column).split(separator) if p] or [str(column)]
    if multiple is None:
        multiple = _select_multiple_names()
    if len(parts) >= 2 and parts[-2] in multiple:
        return f"{parts[-2]}_{parts[-1]}"
    return parts[-1]


def _rename(frame: pd.DataFrame, separator: str, where: str) -> pd.DataFrame:
    multiple = _select_multiple_names()
    names = [plain_name(c, separator, multiple) for c in frame.columns]
    seen: dict[str, str] = {}
    for original, name in zip(frame.columns, names, strict=True):
        if name in seen:
            raise InputError(f"columns {seen[name]!r} and {original!r} both become {name!r} without their group "
                             "names; rename one question", file=where, field=str(original))
        seen[name] = str(original)
    return frame.set_axis(names, axis=1)


def read_odk_export(path: Path) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """The main table and the repeat tables (by repeat name) of an ODK Central .zip or Kobo .xlsx.

    Each repeat table has a column ``_parent`` with the row number (0-based) of its submission in
    the main table.

    Raises
    ------
    InputError
        Not a readable export, or repeat rows whose parent key matches no submission.
    """
    where = str(path)
    try:
        if path.suffix.lower() == ".zip":
            return _odk_central(path)
        sheets = pd.read_excel(path, sheet_name=None)
    except (OSError, ValueError, zipfile.BadZipFile, KeyError) as exc:
        raise InputError(f"cannot read the export: {exc}", file=where) from None
    names = list(sheets)
    if not names:
        raise InputError("the workbook has no sheets", file=where)
    main = _rename(sheets[names[0]], "/", where)
    if "_index" not in main.columns:
        raise InputError("not a KoboToolbox export: the main sheet has no _index column", file=where,
                         field="_index")
    position = pd.Series(range(len(main)), index=main["_index"].to_numpy())
    repeats: dict[str, pd.DataFrame] = {}
    for name in names[1:]:
        table = _rename(sheets[name], "/", f"{where} [{name}]")
        if "_parent_index" not in table.columns:
            continue
        repeats[str(name)] = _link(table, table["_parent_index"], position, f"{where} [{name}]", "_parent_index")
    return main, repeats


def _odk_central(path: Path) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    where = str(path)
    with zipfile.ZipFile(path) as archive:
        csvs = sorted(n for n in archive.namelist() if n.lower().endswith(".csv"))
        if not csvs:
            raise InputError("the .zip holds no CSV files", file=where)
        frames = {n: pd.read_csv(io.BytesIO(archive.read(n))) for n in csvs}
    main_name = min(csvs, key=len)  # <form>.csv; repeats are <form>-<repeat>.csv
    main = _rename(frames[main_name], "-", f"{where} [{main_name}]")
    if "KEY" not in main.columns:
        raise InputError("not an ODK Central export: the main CSV has no KEY column", file=where, field="KEY")
    position = pd.Series(range(len(main)), index=main["KEY"].to_numpy())
    stem = Path(main_name).stem
    repeats: dict[str, pd.DataFrame] = {}
    for name in csvs:
        if name == main_name:
            continue
        table = _rename(frames[name], "-", f"{where} [{name}]")
        if "PARENT_KEY" not in table.columns:
            continue
        repeat = Path(name).stem.removeprefix(stem + "-").split("-")[-1]
        # a repeat nested in a repeat points at its parent repeat row: use the submission part
        submission = table["PARENT_KEY"].astype(str).str.split("/").str[0]
        repeats[repeat] = _link(table, submission, position, f"{where} [{name}]", "PARENT_KEY")
    return main, repeats


def _link(table: pd.DataFrame, parent: pd.Series, position: pd.Series, where: str, field: str) -> pd.DataFrame:
    matched = parent.map(position)
    if matched.isna().any():
        row = int(matched.isna().to_numpy().nonzero()[0][0])
        raise InputError(f"repeat row whose parent {parent.iloc[row]!r} is not a submission (orphan)",
                         file=where, row=row + 2, field=field)
    return table.assign(_parent=matched.astype(int).to_numpy())


def odk_survey(path: Path, *, keys: Keys | None = None, orphans: OrphanPolicy = "error") -> SurveyData:
    """An ODK/Kobo export as linked survey tables: the main table is the households, the ``hl``
    repeat the members, ``ma`` the members abroad, ``ch`` the children (when present).

    Repeat rows get the cluster and household numbers of their submission; a missing line number
    is the row's position within its submission (the roster's ``HL1 = position(..)``).
    """
    keys = keys or Keys()
    main, repeats = read_odk_export(path)
    where = str(path)
    for column in (keys.cluster, keys.household):
        if column not in main.columns:
            raise InputError(f"the main table has no {column} column", file=where, field=column)
    if "hl" not in repeats:
        raise InputError("no household roster repeat group 'hl' in the export", file=where, field="hl")
    tables: dict[str, LabelledTable] = {"households": LabelledTable(main, where)}
    lines = {"members": keys.line, "abroad": keys.abroad_line, "children": keys.child_line}
    for repeat, role in REPEAT_ROLES.items():
        if repeat not in repeats:
            continue
        table = repeats[repeat].drop(columns=[c for c in (keys.cluster, keys.household) if c in repeats[repeat]])
        table.insert(0, keys.household, main[keys.household].to_numpy()[table["_parent"].to_numpy()])
        table.insert(0, keys.cluster, main[keys.cluster].to_numpy()[table["_parent"].to_numpy()])
        if lines[role] not in table.columns:
            table[lines[role]] = table.groupby("_parent").cumcount() + 1
        tables[role] = LabelledTable(table, f"{where} [{repeat}]")
    return link_tables(tables["households"], tables["members"], tables.get("children"), tables.get("abroad"),
                       keys=keys, orphans=orphans, check_labels=False)
