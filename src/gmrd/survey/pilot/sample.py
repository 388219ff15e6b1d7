"""Two-stage stratified cluster samples from a synthetic population, with correct weights.

Stage 1 selects ``clusters_per_stratum`` clusters in each region, either with probability
proportional to the number of households (systematic PPS from a random order, as MICS does) or by
simple random sampling; stage 2 selects ``households_per_cluster`` households in each sampled
cluster by simple random sampling. Every member of a sampled household is listed, and every child
aged 10-17 answers the individual modules. The household weight is the inverse of the inclusion
probability: PPS ``M_h / (n_h m)`` (self-weighting within a stratum) and SRS ``(N_h / n_h) (M_hi / m)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from gmrd.survey.pilot.population import Population


@dataclass(frozen=True)
class SampleSpec:
    """Sample sizes and the first-stage method."""

    clusters_per_stratum: int = 12
    households_per_cluster: int = 20
    method: Literal["pps", "srs"] = "pps"


@dataclass(frozen=True)
class PilotSample:
    """A sample in MICS layout: households (with ``hhweight``), members, children, members abroad."""

    households: pd.DataFrame
    members: pd.DataFrame
    children: pd.DataFrame
    abroad: pd.DataFrame


@dataclass(frozen=True)
class Frame:
    """The population arranged for repeated sampling (built once by :func:`sampling_frame`)."""

    population: Population
    cluster_stratum: np.ndarray  # stratum of each cluster (index: cluster id - 1)
    cluster_size: np.ndarray  # households in each cluster
    cluster_start: np.ndarray  # first row of each cluster in population.households


def sampling_frame(population: Population) -> Frame:
    """Cluster sizes and strata of a population (its households are sorted by cluster)."""
    hh = population.households
    cluster = hh["HH1"].to_numpy()
    size = np.bincount(cluster)[1:]
    stratum = np.zeros(size.size, dtype=np.int64)
    stratum[cluster - 1] = hh["stratum"].to_numpy()
    start = np.concatenate([[0], np.cumsum(size)[:-1]])
    return Frame(population, stratum, size, start)


def _pps_systematic(sizes: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """Positions of ``n`` units drawn by systematic PPS from a random order of ``sizes``."""
    order = rng.permutation(sizes.size)
    cum = np.cumsum(sizes[order])
    step = cum[-1] / n
    points = rng.uniform(0, step) + step * np.arange(n)
    return order[np.searchsorted(cum, points, side="right")]


def draw_households(frame: Frame, spec: SampleSpec, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray,
                                                                                         np.ndarray]:
    """The two-stage selection: population household rows, their weights and sample cluster numbers.

    Sampled clusters are numbered 1..n like a survey's cluster numbers; a cluster drawn twice by
    PPS (a with-replacement hit) gets two numbers.

    References
    ----------
    .. [1] UNICEF (2018). MICS6 Sampling Guidelines (two-stage design: PPS selection of enumeration
       areas, systematic selection of households). https://mics.unicef.org/tools
    .. [2] Cochran, W. G. (1977). Sampling Techniques, 3rd ed. Wiley, sections 9A.5 (PPS) and 10.2
       (two-stage sampling).
    """
    m = spec.households_per_cluster
    chosen: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    for h in np.unique(frame.cluster_stratum):
        ids = np.flatnonzero(frame.cluster_stratum == h)
        sizes = frame.cluster_size[ids]
        n_h = spec.clusters_per_stratum
        if spec.method == "pps":
            picked = ids[_pps_systematic(sizes, n_h, rng)]
            w = np.full(n_h, sizes.sum() / (n_h * m))
        else:
            picked = rng.choice(ids, size=n_h, replace=False)
            w = ids.size / n_h * frame.cluster_size[picked] / m
        chosen.append(picked)
        weights.append(w)
    clusters = np.concatenate(chosen)
    sizes = frame.cluster_size[clusters]
    if np.any(sizes < m):
        raise ValueError("a cluster has fewer households than households_per_cluster")
    # stage 2: m households by SRS in each cluster (the m smallest random keys among its households)
    keys = rng.random((clusters.size, int(sizes.max()))) + (np.arange(sizes.max()) >= sizes[:, None])
    offsets = np.argpartition(keys, m - 1, axis=1)[:, :m]
    rows = (frame.cluster_start[clusters][:, None] + offsets).ravel()
    return rows, np.repeat(np.concatenate(weights), m), np.repeat(np.arange(1, clusters.size + 1), m)


def draw_sample(frame: Frame, spec: SampleSpec, rng: np.random.Generator) -> PilotSample:
    """Draw one two-stage sample (:func:`draw_households`) with every table of the sampled households.

    The household table gets ``hhweight`` (inverse inclusion probability) and the sample's cluster
    numbers in HH1 (``stratum`` is the region).
    """
    rows, weight, cluster = draw_households(frame, spec, rng)
    pop = frame.population
    hh = pop.households.iloc[rows].reset_index(drop=True)
    hh["hhweight"] = weight
    hh["HH1"] = cluster
    key = pd.DataFrame({"_c": pop.households["HH1"].to_numpy()[rows], "_h": pop.households["HH2"].to_numpy()[rows],
                        "HH1": cluster})
    return PilotSample(hh, _attach(pop.members, key), _attach(pop.children, key), _attach(pop.abroad, key))


def _attach(table: pd.DataFrame, key: pd.DataFrame) -> pd.DataFrame:
    """Rows of a population table in the sampled households, with the sample's cluster numbers."""
    renamed = table.rename(columns={"HH1": "_c", "HH2": "_h"})
    out = key.merge(renamed, on=["_c", "_h"], how="inner").rename(columns={"_h": "HH2"})
    return out.drop(columns="_c")


def sample_population(population: Population, spec: SampleSpec | None = None,
                      seed: int = 1) -> PilotSample:
    """One sample from a population (see :func:`draw_sample`)."""
    return draw_sample(sampling_frame(population), spec or SampleSpec(), np.random.default_rng(seed))

