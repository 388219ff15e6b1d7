"""Derived household and child variables: migrant-sending households and children left behind.

Residence codes are the roster module's (:data:`gmrd.survey.modules.roster.RESIDENCE`):
1 in the household, 2 elsewhere in the country, 3 abroad, 4 dead, 8 unknown.

References
----------
.. [1] UNICEF (2017). MICS6 Household Questionnaire, module HL (HL12-HL19: natural mother and
   father alive, in the household, where they live). https://mics.unicef.org/tools
.. [2] Cortina J (2014). Beyond the money: the impact of international migration on children's
   life satisfaction: evidence from Ecuador and Albania. Migration and Development 3(1):1-21.
   doi:10.1080/21632324.2014.885183 (children left behind by mother, father or both)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gmrd.errors import InputError
from gmrd.survey.modules.roster import RES_ABROAD, RESIDENCE

LEFT_BEHIND_CATEGORIES: tuple[str, ...] = ("none", "mother_abroad", "father_abroad", "both_abroad")
"""Categories of :func:`left_behind`, an ordered categorical (NA for persons age 18 and over)."""


def migrant_sending_household(members_abroad: pd.DataFrame | pd.Series, households: pd.Index | None = None,
                              household: str = "household") -> pd.Series:
    """Whether each household has at least one former member living abroad.

    Parameters
    ----------
    members_abroad : DataFrame or Series
        Either one row per member abroad with a ``household`` id column (the migration module's
        repeat), or a Series of counts of members abroad indexed by household (MA2; 0 or NaN if
        none).
    households : Index, optional
        Every household interviewed; those without members abroad are False. Defaults to the
        households present in ``members_abroad``.
    household : str
        Name of the household id column of a members frame.

    Returns
    -------
    Series of bool indexed by household.

    References
    ----------
    .. [1] United Nations (1998). Recommendations on Statistics of International Migration, Rev. 1,
       Statistical Papers M/58/Rev.1 (the household of origin of international migrants).
    """
    if isinstance(members_abroad, pd.DataFrame):
        if household not in members_abroad.columns:
            raise InputError(f"no household id column {household!r}", field=household)
        counts = members_abroad.groupby(household).size()
    else:
        counts = pd.to_numeric(members_abroad, errors="coerce").fillna(0)
        if (counts < 0).any():
            position = int(np.flatnonzero((counts < 0).to_numpy())[0])
            raise InputError("negative number of members abroad", row=position + 1, field="MA2")
    index = households if households is not None else counts.index
    return (counts.reindex(index, fill_value=0) > 0).rename("migrant_sending")


def left_behind(children: pd.DataFrame, mother: str = "MOTHER_RES", father: str = "FATHER_RES",
                age: str = "HL6") -> pd.Series:
    """Children (age 0-17) left behind by an international migrant parent.

    ``both_abroad`` when both natural parents live abroad, ``mother_abroad`` / ``father_abroad``
    when only that parent does, ``none`` otherwise (including dead or unknown parents);
    NA for persons age 18 or over or with unknown age.

    Parameters
    ----------
    children : DataFrame
        Roster rows with the parents' residence codes (1 household, 2 in country, 3 abroad,
        4 dead, 8 unknown; NA treated as unknown) and age in completed years.

    Returns
    -------
    Series
        Categorical with categories :data:`LEFT_BEHIND_CATEGORIES`.

    Raises
    ------
    InputError
        A missing column or a residence code outside the roster's codes, naming row and field.

    References
    ----------
    .. [1] UNICEF (2017). MICS6 Household Questionnaire, module HL (HL12-HL19: natural mother and
       father alive, in the household, where they live). https://mics.unicef.org/tools
    .. [2] Cortina J (2014). Beyond the money: the impact of international migration on children's
       life satisfaction: evidence from Ecuador and Albania. Migration and Development 3(1):1-21.
       doi:10.1080/21632324.2014.885183 (children left behind by mother, father or both)
    """
    for column in (mother, father, age):
        if column not in children.columns:
            raise InputError(f"no column {column!r}", field=column)
    codes: dict[str, np.ndarray] = {}
    for column in (mother, father):
        values = pd.to_numeric(children[column], errors="coerce")
        bad = values.notna() & ~values.isin(list(RESIDENCE))
        if bad.any():
            position = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(f"residence code {children[column].iloc[position]!r} is not one of "
                             f"{sorted(RESIDENCE)}", row=position + 1, field=column)
        codes[column] = values.to_numpy()
    ages = pd.to_numeric(children[age], errors="coerce").to_numpy()
    mother_abroad = codes[mother] == RES_ABROAD
    father_abroad = codes[father] == RES_ABROAD
    labels = np.select([mother_abroad & father_abroad, mother_abroad, father_abroad],
                       ["both_abroad", "mother_abroad", "father_abroad"], default="none").astype(object)
    labels[~((ages >= 0) & (ages <= 17))] = None
    return pd.Series(pd.Categorical(labels, categories=list(LEFT_BEHIND_CATEGORIES)),
                     index=children.index, name="left_behind")
