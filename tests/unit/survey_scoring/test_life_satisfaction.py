"""Life-satisfaction scores (MICS6 tabulation plan definitions) on hand-checked answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gmrd.errors import InputError
from gmrd.survey.scoring.life_satisfaction import (
    better_life,
    domain_satisfaction,
    happy,
    ladder_score,
    satisfied,
)


def test_ladder_score_keeps_steps_and_drops_dont_know() -> None:
    np.testing.assert_array_equal(ladder_score([0, 5, 10, 98, None]), [0, 5, 10, np.nan, np.nan])


def test_happy_is_very_or_somewhat_happy() -> None:
    np.testing.assert_array_equal(happy([1, 2, 3, 4, 5, 8]), [1, 1, 0, 0, 0, np.nan])
    np.testing.assert_array_equal(happy([1, 8], missing_as_no=True), [1, 0])


def test_better_life_needs_both() -> None:
    np.testing.assert_array_equal(better_life([1, 1, 2, 8, 3], [1, 2, 1, 1, 8]), [1, 0, 0, np.nan, 0])


def test_domains() -> None:
    frame = pd.DataFrame({"LSD_FAMILY": [1, 4, 2], "LSD_LIFE": [5, 2, np.nan]})
    out = domain_satisfaction(frame)
    assert out["LSD_FAMILY"].tolist() == [1, 0, 1]
    assert out["LSD_LIFE"].iloc[:2].tolist() == [0, 1] and np.isnan(out["LSD_LIFE"].iloc[2])
    assert satisfied([3]).tolist() == [0]


def test_invalid_codes_name_row_and_field() -> None:
    with pytest.raises(InputError, match="row 2, field 'LS2'"):
        ladder_score([3, 11])
    with pytest.raises(InputError, match="row 1, field 'LS1'"):
        happy(["very"])
