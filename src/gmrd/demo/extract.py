"""Build the demo's small extract in data/ from UN DESA's published files (run once by a maintainer).

``python -m gmrd.demo.extract SHARED_UN_IMS_DIR DATA_DIR`` writes:

* ``un_ims2020_age_sex.csv`` — rows of ims2020_age_sex_destination_wide.csv for the destinations of
  :mod:`gmrd.demo.plan`, unchanged;
* ``un_ims2020_table1.csv`` — Table 1 of undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx for every
  country or area (Location code, area, Type of data, both sexes / males / females 1990 … 2020; the
  demo's last-resort "estimate" source, see :func:`gmrd.demo.writers.write_published_estimates`);
* ``un_ims2019_origin.csv`` — UN_MigrantStockByOriginAndDestination_2019_clean.csv in long form
  (year, destination code and name, origin, persons), non-zero cells of 2005, 2010 and 2015.

All three are CC BY 3.0 IGO (United Nations Department of Economic and Social Affairs, Population
Division (2020), International Migrant Stock 2020; (2019), International Migrant Stock 2019).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from gmrd.demo.plan import DESTINATIONS, ORIGIN_DESTINATIONS

AGE_FILE = "un_ims2020_age_sex.csv"
TABLE1_FILE = "un_ims2020_table1.csv"
ORIGIN_FILE = "un_ims2019_origin.csv"
ORIGIN_YEARS = (2005, 2010, 2015)
AGGREGATE_CODES = 900  # Table 1's location codes from 900 on are the world, regions and groups


def extract(un_ims: Path, data: Path) -> None:
    data.mkdir(parents=True, exist_ok=True)
    ages = pd.read_csv(un_ims / "ims2020_age_sex_destination_wide.csv", dtype=str, keep_default_na=False)
    ages[ages["LocID"].astype(int).isin(DESTINATIONS)].to_csv(data / AGE_FILE, index=False)

    t1 = pd.read_excel(un_ims / "undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx", sheet_name="Table 1",
                       header=10)
    t1 = t1[t1["Location code"] < AGGREGATE_CODES]
    years = [c for c in t1.columns if isinstance(c, int)][:7]  # 1990 … 2020; the blocks repeat them
    first = list(t1.columns).index(years[0])
    out = []
    for _, r in t1.iterrows():
        for k, sex in enumerate(("both", "male", "female")):  # the three blocks, in workbook order
            values = {str(y): r.iloc[first + 7 * k + i] for i, y in enumerate(years)}
            out.append({"LocID": int(r["Location code"]),
                        "area": str(r["Region, development group, country or area"]).strip().rstrip("*"),
                        "type_of_data": str(r["Type of data"]).strip(), "sex": sex, **values})
    pd.DataFrame(out).to_csv(data / TABLE1_FILE, index=False)

    wb19 = pd.read_excel(un_ims / "undesa_pd_2019_migrant_stock_total_dataset.xlsx", sheet_name="Table 1",
                         header=[14, 15])
    names = {str(n).strip().rstrip("*"): int(c) for n, c in zip(wb19.iloc[:, 1], wb19.iloc[:, 3])
             if pd.notna(c)}
    origin = pd.read_csv(un_ims / "UN_MigrantStockByOriginAndDestination_2019_clean.csv", dtype=str,
                         keep_default_na=False)
    origin["code"] = origin["Dest"].str.strip().map(names)
    origin = origin[origin["code"].isin(ORIGIN_DESTINATIONS) & origin["Year"].astype(int).isin(ORIGIN_YEARS)]
    long = origin.melt(id_vars=["Year", "Dest", "code"], var_name="origin", value_name="persons")
    long["persons"] = pd.to_numeric(long["persons"].str.replace(",", "").replace("..", "0"))
    long = long[long["persons"] > 0]
    long = long.rename(columns={"Year": "year", "Dest": "destination", "code": "destination_code"})
    long["destination_code"] = long["destination_code"].astype(int)
    long.sort_values(["destination_code", "year", "origin"])[
        ["year", "destination_code", "destination", "origin", "persons"]].to_csv(data / ORIGIN_FILE, index=False)


if __name__ == "__main__":
    extract(Path(sys.argv[1]), Path(sys.argv[2]))
