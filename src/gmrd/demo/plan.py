"""The demo's countries: real census rounds (dates as the national offices held them), concepts as
UN DESA's "Type of data" gives them (B foreign-born, C foreign citizens), and varied table layouts.

Every table starts from UN DESA's published IMS 2020 estimates (age-sex) or IMS 2019 (origin); the
plan only says where, when and in which shape they appear. Origin tables come from a separate
volume of the same census (their own source title): their totals come from another UN revision and
need not equal those of the age-sex volume. Deliberate errors are in inject.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

AGE_GROUPINGS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    # label -> the published 5-year groups it sums (IMS 2020: 0-4 … 70-74, 75+)
    "five_year": tuple((g, (g,)) for g in (
        "0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54",
        "55-59", "60-64", "65-69", "70-74", "75+")),
    "broad": (("0-14", ("0-4", "5-9", "10-14")), ("15-24", ("15-19", "20-24")),
              ("25-64", ("25-29", "30-34", "35-39", "40-44", "45-49", "50-54", "55-59", "60-64")),
              ("65+", ("65-69", "70-74", "75+"))),
    "words": (("Under 5", ("0-4",)),) + tuple(
        (f"{lo} to {lo + 4}", (f"{lo}-{lo + 4}",)) for lo in range(5, 75, 5)) + (("75 and over", ("75+",)),),
    "ten_year": tuple((f"{lo}-{lo + 9}", (f"{lo}-{lo + 4}", f"{lo + 5}-{lo + 9}")) for lo in range(0, 70, 10))
    + (("70 and over", ("70-74", "75+")),),
    "children": (("Under 15", ("0-4", "5-9", "10-14")), ("15-19", ("15-19",)),
                 ("20-64", ("20-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54", "55-59", "60-64")),
                 ("65 and over", ("65-69", "70-74", "75+"))),
}
SEX_LABELS = {"both": "Both sexes", "male": "Male", "female": "Female"}


@dataclass(frozen=True)
class TablePlan:
    """One demo file: a census-like tabulation derived from the published estimates."""

    key: str                 # file stem
    code: int                # M49 of the destination
    country_label: str       # spelling used in the file
    day: date                # census reference date
    source_type: str
    concept: str             # foreign_born / foreign_citizens
    source_title: str
    citation: str
    kind: str                # "age_sex" or "origin"
    fmt: str                 # "canonical", "wide_csv", "wide_xlsx"
    grouping: str = "five_year"
    sexes: tuple[str, ...] = ("both", "male", "female")
    rows: str = "sex"        # wide age-sex tables: "sex" (ages across) or "age" (sexes across)
    encoding: str = "utf-8"
    delimiter: str = ","
    top_origins: int = 8


PLANS: tuple[TablePlan, ...] = (
    TablePlan("ecuador_2010_age_sex", 218, "Ecuador", date(2010, 11, 28), "census", "foreign_born",
              "Censo de Población y Vivienda 2010", "INEC, Quito, 2011", "age_sex", "wide_csv",
              encoding="cp1252", delimiter=";", sexes=("male", "female")),
    TablePlan("ecuador_2010_origin", 218, "Ecuador", date(2010, 11, 28), "census", "foreign_born",
              "Censo de Población y Vivienda 2010: Migración internacional", "INEC, Quito, 2012", "origin", "wide_xlsx"),
    TablePlan("viet_nam_2009", 704, "Vietnam", date(2009, 4, 1), "census", "foreign_citizens",
              "Population and Housing Census 2009", "General Statistics Office, Hanoi, 2010", "age_sex",
              "canonical", grouping="broad"),
    TablePlan("cote_divoire_2014", 384, "Côte d'Ivoire", date(2014, 5, 15), "census", "foreign_citizens",
              "Recensement Général de la Population et de l'Habitat 2014", "INS, Abidjan, 2015", "age_sex",
              "wide_xlsx", grouping="words"),
    TablePlan("kenya_2009", 404, "Kenya", date(2009, 8, 24), "census", "foreign_born",
              "Kenya Population and Housing Census 2009", "KNBS, Nairobi, 2010", "age_sex", "canonical"),
    TablePlan("thailand_2010", 764, "Thailand", date(2010, 9, 1), "census", "foreign_born",
              "Population and Housing Census 2010", "National Statistical Office, Bangkok, 2012", "age_sex",
              "wide_xlsx", grouping="broad", rows="age"),
    TablePlan("argentina_2010_age_sex", 32, "Argentina", date(2010, 10, 27), "census", "foreign_born",
              "Censo Nacional de Población, Hogares y Viviendas 2010", "INDEC, Buenos Aires, 2012", "age_sex",
              "wide_csv", grouping="ten_year", encoding="utf-8-sig"),
    TablePlan("argentina_2010_origin", 32, "Argentina", date(2010, 10, 27), "census", "foreign_born",
              "Censo 2010: Población nacida en el extranjero", "INDEC, Buenos Aires, 2012", "origin",
              "canonical"),
    TablePlan("south_africa_2011_age_sex", 710, "South Africa", date(2011, 10, 9), "census", "foreign_born",
              "Census 2011", "Statistics South Africa, Pretoria, 2012", "age_sex", "wide_csv",
              sexes=("male", "female")),
    TablePlan("south_africa_2011_origin", 710, "South Africa", date(2011, 10, 9), "census", "foreign_born",
              "Census 2011: Migration dynamics in South Africa", "Statistics South Africa, Pretoria, 2015",
              "origin", "wide_csv"),
    TablePlan("nepal_2011", 524, "Nepal", date(2011, 6, 22), "census", "foreign_born",
              "National Population and Housing Census 2011", "Central Bureau of Statistics, Kathmandu, 2012",
              "age_sex", "canonical", grouping="children"),
    TablePlan("bolivia_2012", 68, "Bolivia (Plurinational State of)", date(2012, 11, 21), "census",
              "foreign_born", "Censo Nacional de Población y Vivienda 2012", "INE, La Paz, 2015", "age_sex",
              "wide_csv", grouping="words", encoding="cp1252", delimiter=";", rows="age"),
    TablePlan("mexico_2010", 484, "Mexico", date(2010, 6, 12), "census", "foreign_born",
              "Censo de Población y Vivienda 2010", "INEGI, Aguascalientes, 2011", "age_sex", "wide_xlsx"),
    TablePlan("japan_2010_age_sex", 392, "Japan", date(2010, 10, 1), "census", "foreign_citizens",
              "2010 Population Census", "Statistics Bureau, Tokyo, 2012", "age_sex", "canonical",
              grouping="ten_year"),
    TablePlan("japan_2010_origin", 392, "Japan", date(2010, 10, 1), "census", "foreign_citizens",
              "2010 Population Census: Foreigners by nationality", "Statistics Bureau, Tokyo, 2012", "origin",
              "wide_xlsx"),
    TablePlan("korea_2010", 410, "Republic of Korea", date(2010, 11, 1), "census", "foreign_citizens",
              "2010 Population and Housing Census", "Statistics Korea, Daejeon, 2011", "age_sex", "wide_xlsx",
              grouping="broad"),
    TablePlan("costa_rica_2011_age_sex", 188, "Costa Rica", date(2011, 5, 30), "census", "foreign_born",
              "X Censo Nacional de Población 2011", "INEC, San José, 2012", "age_sex", "canonical",
              grouping="words"),
    TablePlan("costa_rica_2011_origin", 188, "Costa Rica", date(2011, 5, 30), "census", "foreign_born",
              "X Censo Nacional de Población 2011: Población nacida en el extranjero", "INEC, San José, 2013",
              "origin", "wide_csv",
              encoding="cp1252", delimiter=";"),
    TablePlan("philippines_2010", 608, "Philippines", date(2010, 5, 1), "census", "foreign_citizens",
              "2010 Census of Population and Housing", "Philippine Statistics Authority, Manila, 2012",
              "age_sex", "wide_csv", grouping="five_year", rows="age"),
    # the largest destinations of Northern America, Europe, Western Asia and Oceania, so that every region
    # has age tables of its own and the regional age patterns of the imputed ages are not Latin America's
    TablePlan("canada_2011", 124, "Canada", date(2011, 5, 10), "survey", "foreign_born",
              "National Household Survey 2011", "Statistics Canada, Ottawa, 2013", "age_sex", "canonical"),
    TablePlan("germany_2011", 276, "Germany", date(2011, 5, 9), "census", "foreign_born", "Zensus 2011",
              "Statistische Ämter des Bundes und der Länder, Wiesbaden, 2013", "age_sex", "wide_csv",
              grouping="ten_year", encoding="utf-8-sig"),
    TablePlan("united_kingdom_2011", 826, "United Kingdom", date(2011, 3, 27), "census", "foreign_born",
              "2011 Census", "Office for National Statistics, Newport, 2013", "age_sex", "wide_xlsx"),
    TablePlan("russia_2010", 643, "Russian Federation", date(2010, 10, 14), "census", "foreign_born",
              "All-Russian Population Census 2010", "Rosstat, Moscow, 2012", "age_sex", "canonical",
              grouping="broad"),
    TablePlan("saudi_arabia_2010", 682, "Saudi Arabia", date(2010, 4, 28), "census", "foreign_citizens",
              "General Population and Housing Census 2010", "General Authority for Statistics, Riyadh, 2011",
              "age_sex", "wide_xlsx", grouping="ten_year"),
    TablePlan("australia_2011", 36, "Australia", date(2011, 8, 9), "census", "foreign_born",
              "2011 Census of Population and Housing", "Australian Bureau of Statistics, Canberra, 2012",
              "age_sex", "canonical"),
)

DESTINATIONS: tuple[int, ...] = tuple(sorted({p.code for p in PLANS}))
ORIGIN_DESTINATIONS: tuple[int, ...] = tuple(sorted({p.code for p in PLANS if p.kind == "origin"}))
