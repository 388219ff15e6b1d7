"""Analysis frames of the left-behind survey: children 0-17 with their left-behind status, child
respondents with their well-being scores, and households with their remittances.

Pure functions over :class:`gmrd.survey.load.SurveyData`; each frame carries the household
variables the design needs (``household_columns``), so an estimator can build a design on it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from gmrd.errors import InputError
from gmrd.survey.load import SurveyData
from gmrd.survey.modules.health import ADULT_VARIABLES, YOUTH_VARIABLES
from gmrd.survey.modules.life_satisfaction import DOMAINS
from gmrd.survey.modules.roster import RES_ABROAD, RES_DEAD, RES_IN_COUNTRY, RES_IN_HOUSEHOLD, RES_UNKNOWN
from gmrd.survey.scoring.derive import left_behind
from gmrd.survey.scoring.eq5d import eq5d_index
from gmrd.survey.scoring.life_satisfaction import happy, ladder_score

AGE_GROUPS: tuple[tuple[int, int, str], ...] = ((0, 5, "0-4"), (5, 10, "5-9"), (10, 15, "10-14"), (15, 18, "15-17"))
SEX_LABELS: dict[int, str] = {1: "Male", 2: "Female"}


def parent_residence(alive: pd.Series, here: pd.Series, where: pd.Series) -> np.ndarray:
    """Residence code of a natural parent from the roster answers, as the roster's calculation.

    alive 2 → dead (4); alive 8 → unknown (8); in the household (1) → 1; where 1 → abroad (3);
    where 2, 3 or 4 → elsewhere in the country (2); otherwise unknown (8). Rows with no answer to
    ``alive`` (adults) are NaN.

    References
    ----------
    .. [1] UNICEF (2017). MICS6 Household Questionnaire, HL12-HL19. https://mics.unicef.org/tools
    """
    a, h, w = (pd.to_numeric(s, errors="coerce").to_numpy(dtype=float) for s in (alive, here, where))
    out = np.select([a == 2, a == 8, h == 1, w == 1, np.isin(w, [2, 3, 4])],
                    [RES_DEAD, RES_UNKNOWN, RES_IN_HOUSEHOLD, RES_ABROAD, RES_IN_COUNTRY], default=RES_UNKNOWN)
    return np.where(np.isnan(a), np.nan, out.astype(float))


def _with_residence(members: pd.DataFrame) -> pd.DataFrame:
    out = members
    for who, first in (("MOTHER", 12), ("FATHER", 16)):
        name = f"{who}_RES"
        if name in out.columns:
            continue
        cols = [f"HL{first}", f"HL{first + 1}", f"HL{first + 3}"]
        if not all(c in out.columns for c in cols):
            raise InputError(f"the roster has neither {name} nor {', '.join(cols)}", field=name)
        out = out.assign(**{name: parent_residence(out[cols[0]], out[cols[1]], out[cols[2]])})
    return out


def _household_part(data: SurveyData, columns: Sequence[str]) -> pd.DataFrame:
    keys = [data.keys.cluster, data.keys.household]
    missing = [c for c in columns if c not in data.households.columns]
    if missing:
        raise InputError(f"household variable(s) {', '.join(missing)} not found in the household file",
                         field=missing[0])
    cols = keys + [c for c in dict.fromkeys(columns) if c not in keys]
    return data.households[cols]


def migrant_flag(data: SurveyData, migrant: str = "MA1") -> pd.Series:
    """Migrant-sending household (1/0) per household row: MA1 = 1, else a row in the abroad table
    (NaN when the data hold neither)."""
    hh = data.households
    if migrant in hh.columns:
        code = pd.to_numeric(hh[migrant], errors="coerce")
        return pd.Series(np.where(code.isna(), np.nan, (code == 1).astype(float)), index=hh.index)
    keys = [data.keys.cluster, data.keys.household]
    if data.abroad.empty:  # nothing tells which households send migrants
        return pd.Series(np.nan, index=hh.index)
    present = pd.MultiIndex.from_frame(data.abroad[keys].astype("int64"))
    return pd.Series(pd.MultiIndex.from_frame(hh[keys].astype("int64")).isin(present).astype(float), index=hh.index)


def age_group(age: pd.Series) -> pd.Series:
    """Age group labels 0-4, 5-9, 10-14, 15-17 (NaN outside 0-17)."""
    a = pd.to_numeric(age, errors="coerce")
    labels = np.full(len(a), None, dtype=object)
    for lo, hi, label in AGE_GROUPS:
        labels[((a >= lo) & (a < hi)).to_numpy()] = label
    return pd.Series(pd.Categorical(labels, categories=[g[2] for g in AGE_GROUPS]), index=age.index)


def child_frame(data: SurveyData, household_columns: Sequence[str], *, age: str = "HL6",
                sex: str = "HL4", migrant: str = "MA1") -> pd.DataFrame:
    """Household members aged 0-17 with left-behind indicators and the household's columns.

    Columns added: ``left_behind`` (category), ``lb_any``, ``lb_mother``, ``lb_father``, ``lb_both``
    (1/0), ``age_group``, ``sex_label`` and ``migrant_household`` (1/0).
    """
    keys = [data.keys.cluster, data.keys.household]
    members = _with_residence(data.members)
    for column in (age, sex):
        if column not in members.columns:
            raise InputError(f"no column {column!r} in the household members file", field=column)
    ages = pd.to_numeric(members[age], errors="coerce")
    kids = members.loc[(ages >= 0) & (ages <= 17)].reset_index(drop=True)
    status = left_behind(kids, age=age)
    hh = _household_part(data, household_columns).assign(migrant_household=migrant_flag(data, migrant).to_numpy())
    out = kids.merge(hh, on=keys, how="left", suffixes=("", "_hh"))
    out["left_behind"] = status.to_numpy()
    for name, cats in (("lb_mother", ("mother_abroad", "both_abroad")), ("lb_father", ("father_abroad", "both_abroad")),
                       ("lb_both", ("both_abroad",))):
        out[name] = out["left_behind"].isin(cats).astype(float)
    out["lb_any"] = (out["left_behind"] != "none").astype(float)
    out["age_group"] = age_group(out[age]).array
    out["sex_label"] = pd.to_numeric(out[sex], errors="coerce").map(SEX_LABELS).fillna("Unknown")
    return out


def _profile(children: pd.DataFrame) -> pd.DataFrame:
    """EQ-5D levels: the youth version where answered, else the adult version (both 3 levels)."""
    dims = {}
    for youth, adult in zip(YOUTH_VARIABLES, ADULT_VARIABLES, strict=True):
        y = pd.to_numeric(children[youth], errors="coerce") if youth in children else pd.Series(np.nan, index=children.index)
        a = pd.to_numeric(children[adult], errors="coerce") if adult in children else pd.Series(np.nan, index=children.index)
        dims[youth.split("_")[1]] = y.fillna(a)
    return pd.DataFrame(dims)


def respondent_frame(data: SurveyData, household_columns: Sequence[str], *, age: str = "HL6",
                     sex: str = "HL4", migrant: str = "MA1", value_set: str | None = None) -> pd.DataFrame:
    """Child respondents (individual questionnaire) with well-being scores and household columns.

    Scores: ``ladder`` (LS2, 0-10), ``happy`` (LS1 very/somewhat happy), ``eq5d_lss`` (level sum
    5-15 of EQ-5D-Y or EQ-5D-3L, lower is better), ``eq5d_any_problem`` (1 if any dimension above
    level 1), ``eq5d_vas`` (0-100), and ``eq5d_index`` when a value set is given. ``migrant``
    (text "Migrant household"/"Non-migrant household") is the comparison group.
    """
    keys = [data.keys.cluster, data.keys.household]
    children = data.children
    if children.empty:
        raise InputError("no children's individual questionnaires (children file) to analyse", field="children")
    members = data.members[keys + [data.keys.line] + [c for c in (age, sex) if c in data.members.columns]]
    out = children.merge(members.rename(columns={data.keys.line: data.keys.child_line}),
                         on=keys + [data.keys.child_line], how="left", suffixes=("", "_roster"))
    hh = _household_part(data, household_columns).assign(migrant_household=migrant_flag(data, migrant).to_numpy())
    out = out.merge(hh, on=keys, how="left", suffixes=("", "_hh"))
    if "LS2" in out:
        out["ladder"] = ladder_score(out["LS2"])
    if "LS1" in out:
        out["happy"] = happy(out["LS1"])
    profile = _profile(out)
    complete = profile.notna().all(axis=1).to_numpy()
    levels = profile.to_numpy()
    out["eq5d_lss"] = np.where(complete, np.nansum(levels, axis=1), np.nan)
    out["eq5d_any_problem"] = np.where(complete, (np.nan_to_num(levels) > 1).any(axis=1), np.nan)
    if value_set is not None and complete.any():
        index = np.full(len(out), np.nan)
        index[complete] = eq5d_index(levels[complete].astype(int), value_set)
        out["eq5d_index"] = index
    vas = [c for c in ("EQ5DY_VAS", "EQ5D_VAS") if c in out]
    if vas:
        out["eq5d_vas"] = pd.concat([pd.to_numeric(out[c], errors="coerce") for c in vas], axis=1).bfill(axis=1).iloc[:, 0]
    out["migrant"] = np.where(out["migrant_household"] == 1, "Migrant household",
                              np.where(out["migrant_household"] == 0, "Non-migrant household", None))
    return out


def scale_items(children: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Item frames of each multi-item scale present: life-domain satisfaction (LSD_*) and EQ-5D."""
    scales: dict[str, pd.DataFrame] = {}
    domains = [c for c in DOMAINS if c in children.columns]
    if len(domains) >= 2:
        items = children[domains].apply(pd.to_numeric, errors="coerce")
        scales["Life-domain satisfaction (LSD, 1-5)"] = items.where(items <= 5)
    profile = _profile(children)
    if profile.notna().any().all():
        scales["EQ-5D dimensions (levels 1-3)"] = profile
    return scales
