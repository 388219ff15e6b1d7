"""The plausibility and growth bounds are the published extremes of IMS 2020 (read from the workbooks)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from gmrd.verify import plausibility, series

WORKBOOK = "un_ims/undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx"


def _countries(refdata, sheet: str) -> pd.DataFrame:
    table = pd.read_excel(refdata / WORKBOOK, sheet_name=sheet, header=10)
    return table[pd.to_numeric(table["Location code"], errors="coerce") < 900]


def test_female_share_bounds_are_the_extremes_of_table_4(refdata):
    # IMS 2020 Table 4: female migrants as % of the migrant stock, 235 countries, 1990-2020
    values = _countries(refdata, "Table 4").iloc[:, 5:12].apply(pd.to_numeric, errors="coerce").to_numpy()
    assert np.isclose(np.nanmin(values) / 100, plausibility.FEMALE_SHARE[0], atol=1e-6)
    assert np.isclose(np.nanmax(values) / 100, plausibility.FEMALE_SHARE[1], atol=1e-6)


def test_growth_threshold_is_the_99th_percentile_of_table_5(refdata):
    # IMS 2020 Table 5: annual rate of change of the migrant stock (%), six periods 1990-2020
    rates = _countries(refdata, "Table 5").iloc[:, 5:11].apply(pd.to_numeric, errors="coerce").to_numpy()
    rates = np.abs(rates[~np.isnan(rates)])
    assert round(np.percentile(rates, 99) / 100, 3) == series.MAX_RATE


def test_age_share_bounds_are_the_maxima_of_the_age_file(refdata):
    # IMS 2020 stock by destination, sex and age (both sexes, 1990-2020)
    wide = pd.read_csv(refdata / "un_ims/ims2020_age_sex_destination_wide.csv")
    wide = wide[wide["sex"] == "both"]
    under15 = (wide["0-4"] + wide["5-9"] + wide["10-14"]) / wide["total"]
    old = (wide["65-69"] + wide["70-74"] + wide["75+"]) / wide["total"]
    assert np.isclose(under15.max(), plausibility.MAX_SHARE_UNDER_15, atol=1e-6)
    assert np.isclose(old.max(), plausibility.MAX_SHARE_65_PLUS, atol=1e-6)
