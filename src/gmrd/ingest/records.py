"""The canonical record frame every reader produces and ingest.load writes.

One row per cell. Codes follow the UN Population Division's long format so that its
11.7-million-row corpus maps without translation:

==============  =====================================================================
column          meaning
==============  =====================================================================
row             1-based row (or spreadsheet row) in the file, for error messages
country_code    destination, UN M49 (historical states keep their own codes)
reference_date  datetime.date of the census/register/survey
date_precision  "day", "year" (year-only: 1 July assumed, flagged) or "decimal"
source_type     census, register, survey, estimate
universe        population universe code (reference.universes: 3 foreign-born, 4 foreign citizens …)
source_title    the publication (part of the source key)
citation        where it is published ("" if not given)
sex             0 both, 1 male, 2 female
age_lo          lower age bound in years; total = 0 with age_hi missing; -1 = unknown age
age_hi          upper bound (exclusive); missing (NA) = open group
origin_code     M49 of the country of birth/citizenship; 0 total, 2003 other, 9999999 unknown
value           number of persons, float, non-negative
age_label       original label, kept for export ("" when the file gives codes)
origin_label    original label
sex_label       original label
note            free text
==============  =====================================================================
"""

from __future__ import annotations

COLUMNS: tuple[str, ...] = (
    "row", "country_code", "reference_date", "date_precision", "source_type", "universe",
    "source_title", "citation", "sex", "age_lo", "age_hi", "origin_code", "value",
    "age_label", "origin_label", "sex_label", "note",
)

ORIGIN_TOTAL = 0
ORIGIN_OTHER = 2003
ORIGIN_UNKNOWN = 9999999
AGE_UNKNOWN = -1
SOURCE_TYPES = ("census", "register", "survey", "estimate")
