"""Generate the demo's census-like input files from published UN DESA estimates.

``python -m gmrd.demo.generate OUT [--seed N]`` writes one file per table of :mod:`gmrd.demo.plan`
(canonical CSV, wide CSV, wide XLSX), a second copy of one source with a conflicting value, UN DESA's
published totals of every country as last-resort ``estimate`` sources, and ``manifest.json`` listing
every table's derivation and every deliberately injected error.
Seeded and deterministic: the same seed gives byte-identical files. Reads only the project's data/.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from gmrd.demo import inject
from gmrd.demo.manifest import GeneratedTable, InjectedError, Manifest
from gmrd.demo.plan import PLANS
from gmrd.demo.published import CITATION_2019, CITATION_2020, Published, load_published
from gmrd.demo.tables import Table, build_table
from gmrd.demo.writers import write_published_estimates, write_table

DEFAULT_SEED = 2020
LICENCE = "CC BY 3.0 IGO (http://creativecommons.org/licenses/by/3.0/igo/)"
DUPLICATE_SUFFIX = "_reprint"


def generate_demo_files(out_dir: Path, seed: int = DEFAULT_SEED, *, data: Path | None = None) -> Manifest:
    """Write the demo files into ``out_dir`` (created if needed) and return their manifest."""
    out_dir.mkdir(parents=True, exist_ok=True)
    pub: Published = load_published(data)
    rng = np.random.default_rng(seed)
    tables = {plan.key: build_table(plan, pub) for plan in PLANS}
    names = {key: f"{key}.{'xlsx' if t.plan.fmt == 'wide_xlsx' else 'csv'}" for key, t in tables.items()}
    manifest = Manifest(seed, f"{CITATION_2020} {CITATION_2019}", LICENCE)
    errors: list[InjectedError] = [
        inject.sex_total_mismatch(tables["mexico_2010"], names["mexico_2010"], "both", rng),
        inject.sex_total_mismatch(tables["japan_2010_age_sex"], names["japan_2010_age_sex"], "male", rng),
        inject.age_sum_mismatch(tables["south_africa_2011_age_sex"], names["south_africa_2011_age_sex"],
                                "male", rng, in_total=True),
        inject.age_sum_mismatch(tables["ecuador_2010_age_sex"], names["ecuador_2010_age_sex"], "female", rng,
                                in_total=False),
    ]
    year_error, year_text = inject.year_only_date(tables["nepal_2011"], names["nepal_2011"])
    errors.append(year_error)
    twin_name = names["kenya_2009"].replace(".csv", f"{DUPLICATE_SUFFIX}.csv")
    twin, twin_error = inject.duplicate_source_conflict(tables["kenya_2009"], twin_name, rng)
    errors.append(twin_error)

    for key, table in tables.items():
        day = year_text if key == "nepal_2011" else None
        write_table(table, out_dir, date_text=day)
        manifest.tables.append(_describe(table, names[key], day))
    write_table(twin, out_dir, stem=twin_name.removesuffix(".csv"))
    manifest.tables.append(_describe(twin, twin_name, None))
    manifest.errors.extend(errors)
    manifest.published.append(write_published_estimates(pub.table1, out_dir, CITATION_2020).name)
    manifest.write(out_dir)
    return manifest


def _describe(table: Table, file: str, day: str | None) -> GeneratedTable:
    plan = table.plan
    source = "IMS 2019 origin by destination" if plan.kind == "origin" else "IMS 2020 age and sex"
    return GeneratedTable(file, plan.code, plan.country_label, day or plan.day.isoformat(), plan.source_type,
                          plan.concept, plan.source_title, plan.kind, plan.fmt, plan.grouping,
                          table.base_year, round(table.rate, 10), round(table.factor, 10),
                          table.published, source)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gmrd.demo.generate", description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write the demo files into")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    manifest = generate_demo_files(args.out, args.seed)
    print(f"wrote {len(manifest.files)} files and {args.out / 'manifest.json'} "
          f"({len(manifest.errors)} injected errors)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
