"""Property tests: any valid grouping keeps its totals and non-negativity (mono, uniform) or its
grand total (pclm)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from gmrd.estimate.ages import graduate, regroup

groupings = st.lists(
    st.tuples(st.integers(1, 20), st.floats(0, 1e6, allow_nan=False)), min_size=1, max_size=12,
).filter(lambda groups: sum(v for _, v in groups) > 1)


def _arrays(groups: list[tuple[int, float]]) -> tuple[list[float], list[int], list[float]]:
    widths = [w for w, _ in groups]
    starts = np.concatenate([[0], np.cumsum(widths)[:-1]]).astype(int).tolist()
    return [v for _, v in groups], starts, [float(w) for w in widths]


@settings(max_examples=60, deadline=None, derandomize=True)
@given(groupings)
def test_mono_and_uniform_keep_groups(groups: list[tuple[int, float]]) -> None:
    values, starts, widths = _arrays(groups)
    cohorts = [(s, s + int(w)) for s, w in zip(starts, widths)]
    for method in ("mono", "uniform"):
        out = graduate(values, starts, widths, method)
        assert len(out.values) == sum(widths)
        assert out.values.min() >= -1e-9 * max(values)
        np.testing.assert_allclose(regroup(out.values, out.age_starts, out.age_widths, cohorts), values,
                                   rtol=1e-9, atol=1e-6)


@settings(max_examples=15, deadline=None, derandomize=True)
@given(groupings)
def test_pclm_keeps_grand_total(groups: list[tuple[int, float]]) -> None:
    values, starts, widths = _arrays(groups)
    out = graduate(values, starts, widths, "pclm", lambda_=1.0)
    assert out.values.min() >= 0
    assert abs(out.values.sum() - sum(values)) <= 1e-3 * sum(values) + 1.5
