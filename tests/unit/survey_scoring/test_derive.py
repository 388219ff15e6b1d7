"""Derivations: migrant-sending households and children left behind (roster residence codes)."""

from __future__ import annotations

import pandas as pd
import pytest

from gmrd.errors import InputError
from gmrd.survey.modules.roster import RES_ABROAD, RES_DEAD, RES_IN_COUNTRY, RES_IN_HOUSEHOLD, RES_UNKNOWN
from gmrd.survey.scoring.derive import left_behind, migrant_sending_household


def test_left_behind_categories() -> None:
    roster = pd.DataFrame({
        "MOTHER_RES": [RES_ABROAD, RES_IN_HOUSEHOLD, RES_ABROAD, RES_DEAD, None, RES_ABROAD, RES_UNKNOWN],
        "FATHER_RES": [RES_ABROAD, RES_ABROAD, RES_IN_HOUSEHOLD, RES_IN_COUNTRY, RES_ABROAD, RES_ABROAD, None],
        "HL6": [5, 10, 17, 0, 12, 18, 3],
    })
    out = left_behind(roster)
    assert out.iloc[:5].tolist() == ["both_abroad", "father_abroad", "mother_abroad", "none", "father_abroad"]
    assert pd.isna(out.iloc[5])  # 18 is not a child
    assert out.iloc[6] == "none"
    assert list(out.cat.categories) == ["none", "mother_abroad", "father_abroad", "both_abroad"]


def test_left_behind_rejects_unknown_code() -> None:
    with pytest.raises(InputError, match="row 2, field 'FATHER_RES'"):
        left_behind(pd.DataFrame({"MOTHER_RES": [1, 1], "FATHER_RES": [1, 7], "HL6": [3, 4]}))


def test_migrant_sending_from_members_and_counts() -> None:
    members = pd.DataFrame({"household": [10, 10, 30]})
    out = migrant_sending_household(members, households=pd.Index([10, 20, 30]))
    assert out.tolist() == [True, False, True]
    counts = pd.Series([2, 0, None], index=[1, 2, 3])
    assert migrant_sending_household(counts).tolist() == [True, False, False]
    with pytest.raises(InputError, match="field 'MA2'"):
        migrant_sending_household(pd.Series([1, -1]))
