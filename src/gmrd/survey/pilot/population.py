"""A synthetic finite population for pilot left-behind surveys, with known truth.

Households sit in clusters (enumeration areas) in regions (the strata). Each household sends a
migrant abroad with a region-specific probability; in a migrant-sending household with children the
father, the mother or both live abroad. Children aged 10-17 answer the life-satisfaction (MICS LS)
and health (EQ-5D-Y for 10-15, EQ-5D-3L for 16-17) modules; their answers depend on a latent
well-being score that is lower by ``effect`` standard deviations in migrant-sending households.
Country A has a real difference (``effect`` > 0), country B none. The truth of every indicator is
its value in this finite population (:func:`population_truth` in :mod:`gmrd.survey.pilot.truth`).

Codes are the questionnaire modules' (:mod:`gmrd.survey.modules`): HL4 sex 1 male, 2 female;
HL12-HL19 the natural parents (alive 1/2/8, in the household 1/2, line, where 1 abroad ...);
MOTHER_RES/FATHER_RES :data:`gmrd.survey.modules.roster.RESIDENCE`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from gmrd.survey.modules.health import DIMENSIONS
from gmrd.survey.modules.life_satisfaction import DOMAINS
from gmrd.survey.modules.roster import RES_ABROAD, RES_DEAD, RES_IN_COUNTRY, RES_IN_HOUSEHOLD

CHANNELS: tuple[str, ...] = ("bank", "mto", "mobile", "online", "post", "carried", "informal", "goods", "other")
USES: tuple[str, ...] = ("food", "education", "health", "housing", "debt", "business", "land", "savings",
                         "events", "other")


@dataclass(frozen=True)
class CountrySpec:
    """Parameters of one synthetic country.

    ``p_migrant`` is the probability that a household is migrant-sending, per region; ``effect`` the
    drop of children's latent well-being (in SDs) in migrant-sending households.
    """

    name: str
    regions: tuple[str, ...] = ("North", "South", "East", "West")
    clusters_per_region: int = 150
    households_per_cluster: tuple[int, int] = (30, 90)
    p_migrant: tuple[float, ...] = (0.30, 0.22, 0.15, 0.10)
    p_remit: float = 0.75
    effect: float = 0.0
    seed: int = 1
    currency: str = "local"
    extra: dict[str, float] = field(default_factory=dict)


COUNTRIES: dict[str, CountrySpec] = {
    "A": CountrySpec("Country A", effect=0.6, seed=20250101),
    "B": CountrySpec("Country B", p_migrant=(0.25, 0.20, 0.12, 0.08), p_remit=0.65, effect=0.0,
                     seed=20250202),
}
"""Country A: children in migrant-sending households are less satisfied and report more problems
(a real difference); country B: no difference."""


@dataclass(frozen=True)
class Population:
    """The finite population as MICS-style linked tables (every household, member and child).

    ``households`` has HH1 (cluster), HH2 (household in cluster), HH7 (region code 1..), stratum,
    MA1/MA2 and the remittance answers; ``members`` the roster (HH1, HH2, HL1, HL3, HL4, HL6,
    HL12-HL19, MOTHER_RES, FATHER_RES); ``children`` the individual answers of members aged 10-17
    (HH1, HH2, LN and the LS and health module variables); ``abroad`` one row per member abroad.
    """

    spec: CountrySpec
    households: pd.DataFrame
    members: pd.DataFrame
    children: pd.DataFrame
    abroad: pd.DataFrame


def _households(spec: CountrySpec, rng: np.random.Generator) -> pd.DataFrame:
    n_regions = len(spec.regions)
    low, high = spec.households_per_cluster
    sizes = rng.integers(low, high + 1, size=n_regions * spec.clusters_per_region)
    cluster = np.repeat(np.arange(1, sizes.size + 1), sizes)
    region = np.repeat(np.repeat(np.arange(1, n_regions + 1), spec.clusters_per_region), sizes)
    hh2 = np.concatenate([np.arange(1, s + 1) for s in sizes])
    n = cluster.size
    p = np.asarray(spec.p_migrant)[region - 1]
    sending = rng.random(n) < p
    n_children = rng.poisson(2.0, n)
    # who is abroad in a sending household: father 60%, mother 25%, both 15%; other members too
    who = rng.choice(3, size=n, p=(0.60, 0.25, 0.15))
    father_abroad = sending & (who != 1)
    mother_abroad = sending & (who != 0)
    others = np.where(sending, rng.poisson(0.4, n), 0)
    ma2 = father_abroad.astype(int) + mother_abroad.astype(int) + others
    remit = np.where(sending, rng.random(n) < spec.p_remit, rng.random(n) < 0.04)
    frame = pd.DataFrame({"HH1": cluster, "HH2": hh2, "HH7": region, "stratum": region,
                          "MA1": np.where(sending, 1, 2), "MA2": np.where(sending, ma2, np.nan),
                          "_children": n_children, "_father_abroad": father_abroad,
                          "_mother_abroad": mother_abroad, "_others_abroad": others})
    return frame.join(_remittances(remit, sending, spec, rng))


def _remittances(remit: np.ndarray, sending: np.ndarray, spec: CountrySpec,
                 rng: np.random.Generator) -> pd.DataFrame:
    n = remit.size
    out: dict[str, np.ndarray] = {"RM1": np.where(remit, 1, 2)}
    freq = np.where(sending, rng.choice([1, 2, 3, 4, 5], size=n, p=[0.45, 0.2, 0.15, 0.05, 0.15]),
                    rng.choice([1, 2, 3, 4, 5], size=n, p=[0.05, 0.1, 0.2, 0.3, 0.35]))
    out["RM2"] = np.where(remit, freq, np.nan)
    channel_p = np.array([0.25, 0.45, 0.30, 0.10, 0.03, 0.15, 0.05, 0.10, 0.02])
    chosen = rng.random((n, len(CHANNELS))) < channel_p
    chosen[np.arange(n), np.argmax(rng.random((n, len(CHANNELS))) * channel_p, axis=1)] = True
    for j, name in enumerate(CHANNELS):
        out[f"RM3_{name}"] = np.where(remit, chosen[:, j].astype(float), np.nan)
    amount = np.round(np.exp(rng.normal(7.0, 0.8, n)), -1)
    out["RM4"] = np.where(remit, amount, np.nan)
    use_p = np.array([0.85, 0.45, 0.35, 0.25, 0.15, 0.10, 0.05, 0.20, 0.10, 0.03])
    uses = rng.random((n, len(USES))) < use_p
    uses[:, 0] |= ~uses.any(axis=1)
    for j, name in enumerate(USES):
        out[f"RM6_{name}"] = np.where(remit, uses[:, j].astype(float), np.nan)
    frame = pd.DataFrame(out)
    frame["RM5"] = np.where(remit, spec.currency, "")
    return frame


def _members(hh: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Roster: head (and spouse), then the children; grandmother heads when both parents are abroad."""
    n = len(hh)
    fa, mo = hh["_father_abroad"].to_numpy(), hh["_mother_abroad"].to_numpy()
    kids = hh["_children"].to_numpy()
    father_here, mother_here = ~fa, ~mo
    grand = fa & mo
    # per household: adults then children; lines 1..
    adults = np.where(grand, 1, father_here.astype(int) + mother_here.astype(int))
    size = adults + kids
    hh_index = np.repeat(np.arange(n), size)
    line = np.concatenate([np.arange(1, s + 1) for s in size]) if n else np.zeros(0, int)
    is_child = line > adults[hh_index]
    first_adult = line == 1
    # sex/age/relationship of adults
    adult_sex = np.where(grand[hh_index], 2, np.where(first_adult & father_here[hh_index], 1, 2))
    adult_rel = np.where(first_adult, 1, 2)
    adult_age = np.where(grand[hh_index], rng.integers(50, 76, hh_index.size), rng.integers(22, 56, hh_index.size))
    child_age = rng.integers(0, 18, hh_index.size)
    sex = np.where(is_child, rng.integers(1, 3, hh_index.size), adult_sex)
    age = np.where(is_child, child_age, adult_age)
    rel = np.where(is_child, np.where(grand[hh_index], 5, 3), adult_rel)
    # the father's and mother's line in the household (0: not here)
    father_line = np.where(father_here, 1, 0)
    mother_line = np.where(mother_here, np.where(father_here, 2, 1), 0)
    members = pd.DataFrame({"HH1": hh["HH1"].to_numpy()[hh_index], "HH2": hh["HH2"].to_numpy()[hh_index],
                            "HL1": line, "HL3": rel, "HL4": sex, "HL6": age})
    for who, here, at_line, abroad, first in (("mother", mother_here, mother_line, mo, 12),
                                              ("father", father_here, father_line, fa, 16)):
        members = members.join(_parent(who, is_child, here[hh_index], at_line[hh_index], abroad[hh_index],
                                       first, rng))
    return members


def _parent(who: str, is_child: np.ndarray, here: np.ndarray, line: np.ndarray, abroad: np.ndarray,
            first: int, rng: np.random.Generator) -> pd.DataFrame:
    """HL12-HL15 (mother) or HL16-HL19 (father) and the residence code, for children only."""
    n = is_child.size
    u = rng.random(n)
    # a few parents counted as present are dead or live elsewhere in the country (separated)
    dead = here & (u < 0.015)
    elsewhere = here & (u >= 0.015) & (u < (0.075 if who == "father" else 0.035))
    here = here & ~dead & ~elsewhere
    alive = np.where(dead, 2, 1).astype(float)
    in_hh = np.where(alive == 1, np.where(here, 1, 2), np.nan)
    line_no = np.where(here, line, np.nan)
    where = np.where(in_hh == 2, np.where(abroad, 1, np.where(rng.random(n) < 0.5, 2, 3)), np.nan)
    res = np.select([dead, here, abroad], [RES_DEAD, RES_IN_HOUSEHOLD, RES_ABROAD], default=RES_IN_COUNTRY)
    names = [f"HL{first + i}" for i in range(4)]
    columns = dict(zip(names, (alive, in_hh, line_no, where), strict=True))
    frame = pd.DataFrame({k: np.where(is_child, v, np.nan) for k, v in columns.items()})
    frame[f"{who.upper()}_RES"] = np.where(is_child, res, np.nan)
    return frame


def _ordinal(latent: np.ndarray, cuts: list[float]) -> np.ndarray:
    """Codes 1..len(cuts)+1 from a latent score and increasing cut points (1 = lowest latent)."""
    return np.searchsorted(np.asarray(cuts), latent) + 1


def _children(members: pd.DataFrame, hh: pd.DataFrame, spec: CountrySpec,
              rng: np.random.Generator) -> pd.DataFrame:
    kids = members[(members["HL6"] >= 10) & (members["HL6"] <= 17) & (members["HL3"].isin([3, 5]))]
    sending = kids.merge(hh[["HH1", "HH2", "MA1"]], on=["HH1", "HH2"], how="left")["MA1"].to_numpy() == 1
    n = len(kids)
    z = rng.normal(size=n) - spec.effect * sending
    out: dict[str, np.ndarray] = {"HH1": kids["HH1"].to_numpy(), "HH2": kids["HH2"].to_numpy(),
                                  "LN": kids["HL1"].to_numpy(), "LS0": kids["HL6"].to_numpy()}
    out["LS1"] = 6 - _ordinal(0.8 * z + 0.6 * rng.normal(size=n), [-1.9, -1.2, -0.5, 0.6])
    ladder = np.clip(np.round(6.3 + 1.7 * (0.85 * z + 0.53 * rng.normal(size=n))), 0, 10)
    out["LS2"] = np.where(rng.random(n) < 0.02, 98, ladder)
    out["LS3"] = 4 - _ordinal(0.5 * z + 0.87 * rng.normal(size=n), [-0.8, 0.5])
    out["LS4"] = 4 - _ordinal(0.5 * z + 0.87 * rng.normal(size=n), [-1.0, 0.0])
    out["LS_SCHOOL"] = np.where(rng.random(n) < 0.9, 1, 2)
    out["LS_JOB"] = np.where(rng.random(n) < 0.1 + 0.02 * (kids["HL6"].to_numpy() - 10), 1, 2)
    for name in DOMAINS:
        item = 6 - _ordinal(0.75 * z + 0.66 * rng.normal(size=n), [-2.0, -1.2, -0.5, 0.4])
        if name == "LSD_SCHOOL":
            item = np.where(out["LS_SCHOOL"] == 1, item, np.nan)
        if name == "LSD_JOB":
            item = np.where(out["LS_JOB"] == 1, item, np.nan)
        out[name] = item
    out["HQ0"], out["HQ1"] = out["LN"], out["LS0"]
    youth = out["HQ1"] <= 15
    base = {"MO": -2.6, "SC": -3.0, "UA": -1.9, "PD": -1.2, "AD": -1.0}
    for dim in DIMENSIONS:
        eta = base[dim] - 1.3 * z
        problem = rng.random(n) < 1 / (1 + np.exp(-eta))
        level = np.where(problem, np.where(rng.random(n) < 0.15, 3, 2), 1).astype(float)
        out[f"EQ5DY_{dim}"] = np.where(youth, level, np.nan)
        out[f"EQ5D_{dim}"] = np.where(youth, np.nan, level)
    vas = np.clip(np.round(82 + 9 * z + 6 * rng.normal(size=n)), 0, 100)
    out["EQ5DY_VAS"], out["EQ5D_VAS"] = np.where(youth, vas, np.nan), np.where(youth, np.nan, vas)
    return pd.DataFrame(out)


def _abroad(hh: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    counts = hh["MA2"].fillna(0).to_numpy().astype(int)
    idx = np.repeat(np.arange(len(hh)), counts)
    line = np.concatenate([np.arange(1, c + 1) for c in counts]) if counts.sum() else np.zeros(0, int)
    fa = hh["_father_abroad"].to_numpy()[idx]
    mo = hh["_mother_abroad"].to_numpy()[idx]
    # line 1 is the father when abroad, then the mother; others are sons/daughters/siblings
    is_father = fa & (line == 1)
    is_mother = mo & (line == 1 + fa.astype(int))
    n = idx.size
    rel = np.where(is_father | is_mother, np.where(fa & mo, 3, 2), rng.choice([3, 8, 12], size=n))
    sex = np.where(is_father, 1, np.where(is_mother, 2, rng.integers(1, 3, n)))
    return pd.DataFrame({"HH1": hh["HH1"].to_numpy()[idx], "HH2": hh["HH2"].to_numpy()[idx], "MA_LINE": line,
                         "MA4": rel, "MA5": sex, "MA6": rng.integers(18, 60, n),
                         "MA7": rng.choice(["Spain", "United States", "Italy", "Chile"], size=n),
                         "MA8": rng.integers(2005, 2025, n)})


def simulate_population(spec: CountrySpec, seed: int | None = None) -> Population:
    """Simulate the finite population of one country (deterministic for a seed).

    Parameters
    ----------
    spec : the country's parameters (:data:`COUNTRIES` holds A and B)
    seed : random seed (default: the spec's)

    Returns
    -------
    Population

    References
    ----------
    .. [1] UNICEF (2017). MICS6 Household Questionnaire, module HL, and Questionnaire for Individual
       Women/Men, module LS (the variables simulated). https://mics.unicef.org/tools
    .. [2] Särndal, C.-E., Swensson, B. and Wretman, J. (1992). Model Assisted Survey Sampling.
       Springer (finite-population parameters as the truth a design-based estimator targets).
    """
    rng = np.random.default_rng(spec.seed if seed is None else seed)
    hh = _households(spec, rng)
    members = _members(hh, rng)
    children = _children(members, hh, spec, rng)
    abroad = _abroad(hh, rng)
    households = hh.drop(columns=[c for c in hh.columns if c.startswith("_")])
    return Population(spec, households, members, children, abroad)
