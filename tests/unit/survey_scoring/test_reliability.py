"""Cronbach's alpha against pingouin 0.7.0's published examples (../shared/data/reliability)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from gmrd.errors import InputError
from gmrd.survey.reliability import cronbach_alpha


def _expected(refdata: Path) -> pd.DataFrame:
    return pd.read_csv(refdata / "reliability" / "expected_alpha.csv")


def _ci(text: str) -> tuple[float, float]:
    low, high = text.strip("[]").split(",")
    return float(low), float(high)


def test_complete_long_data(refdata: Path) -> None:
    """pingouin.cronbach_alpha docstring example: alpha 0.5917, 95% CI [0.195, 0.84]."""
    long = pd.read_csv(refdata / "reliability" / "cronbach_alpha.csv")
    wide = long.pivot(index="Subj", columns="Items", values="Scores")
    expected = _expected(refdata).iloc[0]
    result = cronbach_alpha(wide)
    assert result.alpha == pytest.approx(expected["expected_alpha"], abs=1e-12)
    assert tuple(round(v, 3) for v in result.ci) == _ci(expected["expected_ci95"])


@pytest.mark.parametrize(("row", "policy", "fill_median"), [(1, "pairwise", False), (2, "listwise", False),
                                                            (3, "pairwise", True)])
def test_missing_values(refdata: Path, row: int, policy: str, fill_median: bool) -> None:
    """pingouin.cronbach_alpha docstring: pairwise 0.7327 [0.435, 0.909], listwise 0.8017
    [0.581, 0.933] (n = all 12 input rows), median-filled 0.7380 [0.447, 0.911]."""
    data = pd.read_csv(refdata / "reliability" / "cronbach_wide_missing.csv", encoding="utf-8-sig")
    if fill_median:
        data = data.fillna(data.median())
    expected = _expected(refdata).iloc[row]
    result = cronbach_alpha(data, nan_policy=policy, ci_n="input")  # type: ignore[arg-type]
    assert result.alpha == pytest.approx(expected["expected_alpha"], abs=1e-12)
    assert tuple(round(v, 3) for v in result.ci) == _ci(expected["expected_ci95"])


def test_listwise_interval_uses_complete_rows(refdata: Path) -> None:
    data = pd.read_csv(refdata / "reliability" / "cronbach_wide_missing.csv", encoding="utf-8-sig")
    used = cronbach_alpha(data, nan_policy="listwise")
    assert used.n == 9 and used.k == 11
    assert used.ci[0] < 0.581 and used.ci[1] > 0.933  # fewer respondents, wider interval


def test_item_statistics_agree_with_their_definitions(refdata: Path) -> None:
    """Corrected item-total r = Pearson r of the item with the sum of the others; alpha if deleted
    = alpha of the remaining items (Cronbach 1951)."""
    long = pd.read_csv(refdata / "reliability" / "cronbach_alpha.csv")
    wide = long.pivot(index="Subj", columns="Items", values="Scores")
    result = cronbach_alpha(wide)
    for item in wide.columns:
        rest = wide.drop(columns=item)
        assert result.item_total[item] == pytest.approx(np.corrcoef(wide[item], rest.sum(axis=1))[0, 1])
        assert result.alpha_if_deleted[item] == pytest.approx(cronbach_alpha(rest).alpha)


def test_errors() -> None:
    with pytest.raises(InputError, match="at least two items"):
        cronbach_alpha(pd.DataFrame({"a": [1, 2, 3]}))
    with pytest.raises(InputError, match="row 2, field 'b'"):
        cronbach_alpha(pd.DataFrame({"a": [1, 2, 3], "b": [1, "x", 3]}))
    with pytest.raises(InputError, match="nan_policy"):
        cronbach_alpha(pd.DataFrame({"a": [1, 2], "b": [2, 1]}), nan_policy="median")  # type: ignore[arg-type]
