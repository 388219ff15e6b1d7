"""Coverage of design-based 95% intervals over repeated samples from one synthetic population.

The fast path of the simulation: the analysis frames (children 0-17, child respondents) are built
once over the whole population; each replicate only draws the two-stage sample
(:func:`gmrd.survey.pilot.sample.draw_households`), gathers the rows of the sampled households with
their weights and cluster numbers, and runs the same estimators as ``gmrd survey analyze``
(proportion with the logit interval, total and design-based t-test with t intervals).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from gmrd.survey.analyze import build_design
from gmrd.survey.analyze_frames import child_frame, respondent_frame
from gmrd.survey.compare import ttest
from gmrd.survey.estimators import proportion, total
from gmrd.survey.load_config import DesignSpec
from gmrd.survey.pilot.files import survey_data, truth_from_frames
from gmrd.survey.pilot.population import Population
from gmrd.survey.pilot.sample import SampleSpec, draw_households, sampling_frame

DESIGN = DesignSpec(weights="hhweight", strata="stratum", clusters=("HH1",))


@dataclass(frozen=True)
class _Rows:
    """Rows of an analysis frame grouped by population household (CSR layout)."""

    columns: dict[str, np.ndarray]
    start: np.ndarray
    count: np.ndarray

    def gather(self, households: np.ndarray, weight: np.ndarray, cluster: np.ndarray,
               stratum: np.ndarray) -> pd.DataFrame:
        counts = self.count[households]
        ends = np.cumsum(counts)
        index = np.arange(ends[-1] if ends.size else 0) - np.repeat(ends - counts, counts) \
            + np.repeat(self.start[households], counts)
        out = {name: values[index] for name, values in self.columns.items()}
        out.update(hhweight=np.repeat(weight, counts), HH1=np.repeat(cluster, counts),
                   stratum=np.repeat(stratum, counts))
        return pd.DataFrame(out)


def _rows(frame: pd.DataFrame, population: Population, columns: list[str]) -> _Rows:
    hh = population.households
    position = pd.Series(np.arange(len(hh)), index=pd.MultiIndex.from_frame(hh[["HH1", "HH2"]]))
    row = position.reindex(pd.MultiIndex.from_frame(frame[["HH1", "HH2"]])).to_numpy()
    order = np.argsort(row, kind="stable")
    count = np.bincount(row, minlength=len(hh))
    start = np.concatenate([[0], np.cumsum(count)[:-1]])
    return _Rows({c: frame[c].to_numpy()[order] for c in columns}, start, count)


def coverage_study(population: Population, replicates: int, *, spec: SampleSpec | None = None,
                   seed: int = 1, level: float = 0.95) -> pd.DataFrame:
    """Estimates and interval coverage of the main indicators over repeated samples.

    Parameters
    ----------
    population : the finite population (its values are the truth)
    replicates : number of independent samples
    spec : sample sizes and first-stage method
    seed : random seed of the sampling
    level : confidence level

    Returns
    -------
    DataFrame, one row per replicate and indicator: indicator, truth, estimate, ci_low, ci_high,
    covered.

    References
    ----------
    .. [1] Lumley, T. (2010). Complex Surveys: A Guide to Analysis Using R. Wiley, section 2.2
       (with-replacement approximation for multistage designs).
    .. [2] Wolter, K. M. (2007). Introduction to Variance Estimation, 2nd ed. Springer, ch. 6
       (Taylor series method) and section 2.4.5 (simulation checks of interval coverage).
    """
    spec = spec or SampleSpec()
    data = survey_data(population)
    kids_frame, resp_frame = child_frame(data, ["HH7"]), respondent_frame(data, ["HH7"])
    truth = truth_from_frames(kids_frame, resp_frame, population.households)
    kids = _rows(kids_frame, population, ["lb_any"])
    resp = _rows(resp_frame, population, ["ladder", "eq5d_lss", "migrant"])
    frame = sampling_frame(population)
    strata = population.households["stratum"].to_numpy()
    rng = np.random.default_rng(seed)
    records: list[tuple[str, float, float, float, float]] = []
    for _ in range(replicates):
        rows, weight, cluster = draw_households(frame, spec, rng)
        design = build_design(kids.gather(rows, weight, cluster, strata[rows]), DESIGN)
        share = proportion(design, "lb_any")[1.0]
        records.append(("share_left_behind", truth["share_left_behind"], share.value, *share.ci(level)))
        number = total(design, "lb_any", deff=False)
        records.append(("number_left_behind", truth["number_left_behind"], number.value, *number.ci(level)))
        design = build_design(resp.gather(rows, weight, cluster, strata[rows]), DESIGN)
        for outcome in ("ladder", "eq5d_lss"):
            test = ttest(design, outcome, "migrant")  # non-migrant - migrant
            low, high = test.ci(level)
            records.append((f"{outcome}_difference", truth[f"{outcome}_difference"], -test.estimate, -high, -low))
    out = pd.DataFrame(records, columns=["indicator", "truth", "estimate", "ci_low", "ci_high"])
    out["covered"] = (out["ci_low"] <= out["truth"]) & (out["truth"] <= out["ci_high"])
    return out
