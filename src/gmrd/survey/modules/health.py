"""Health-related quality of life: EQ-5D-3L (ages 16+) or EQ-5D-Y-3L (ages 8-15), with the VAS.

Five dimensions at three levels and the visual analogue scale (0-100). The labels here only name
each dimension and level: the EQ-5D instruments and their official translations are EuroQol's and
must be obtained from EuroQol (registration at https://euroqol.org) before fieldwork; paste the
official wording into the labels of the generated form. The variables are scored with
:mod:`gmrd.survey.scoring.eq5d` (profile, level sum, index from a value set).

References
----------
.. [1] EuroQol Group (1990). EuroQol - a new facility for the measurement of health-related quality
   of life. Health Policy 16(3):199-208. doi:10.1016/0168-8510(90)90421-9
.. [2] Wille N, Badia X, Bonsel G, et al. (2010). Development of the EQ-5D-Y: a child-friendly
   version of the EQ-5D. Quality of Life Research 19(6):875-886. doi:10.1007/s11136-010-9648-y
"""

from __future__ import annotations

from gmrd.survey.modules.spec import Module, Question, Text, choice_list, q

DIMENSIONS: tuple[str, ...] = ("MO", "SC", "UA", "PD", "AD")
"""EQ-5D dimension codes in profile order: mobility, self-care, usual activities, pain/discomfort,
anxiety/depression."""

ADULT_VARIABLES: tuple[str, ...] = tuple(f"EQ5D_{d}" for d in DIMENSIONS)
YOUTH_VARIABLES: tuple[str, ...] = tuple(f"EQ5DY_{d}" for d in DIMENSIONS)

LEVELS_3L = choice_list("eq5d_3l", [
    (1, "No problems", "Pas de problème", "Sin problemas"),
    (2, "Some problems", "Quelques problèmes", "Algunos problemas"),
    (3, "Extreme problems or unable", "Problèmes extrêmes ou incapacité", "Problemas extremos o incapacidad"),
])
LEVELS_Y = choice_list("eq5dy_3l", [
    (1, "No problems", "Pas de problème", "Sin problemas"),
    (2, "Some problems", "Quelques problèmes", "Algunos problemas"),
    (3, "A lot of problems", "Beaucoup de problèmes", "Muchos problemas"),
])

ADULT_LABELS: dict[str, tuple[str, str, str]] = {
    "MO": ("Mobility (walking about) today", "Mobilité (se déplacer à pied) aujourd'hui",
           "Movilidad (caminar) hoy"),
    "SC": ("Self-care (washing or dressing) today", "Autonomie (se laver, s'habiller) aujourd'hui",
           "Cuidado personal (lavarse o vestirse) hoy"),
    "UA": ("Usual activities (work, study, housework, family, leisure) today",
           "Activités courantes (travail, études, ménage, famille, loisirs) aujourd'hui",
           "Actividades cotidianas (trabajo, estudio, tareas domésticas, familia, ocio) hoy"),
    "PD": ("Pain or discomfort today", "Douleur ou gêne aujourd'hui", "Dolor o malestar hoy"),
    "AD": ("Anxiety or depression today", "Anxiété ou dépression aujourd'hui", "Ansiedad o depresión hoy"),
}
YOUTH_LABELS: dict[str, tuple[str, str, str]] = {
    "MO": ("Mobility (walking about) today", "Mobilité (marcher) aujourd'hui", "Movilidad (caminar) hoy"),
    "SC": ("Looking after myself (washing, dressing) today", "S'occuper de soi (se laver, s'habiller) aujourd'hui",
           "Cuidar de mí mismo (lavarme, vestirme) hoy"),
    "UA": ("Doing usual activities (school, hobbies, sports, family) today",
           "Activités habituelles (école, loisirs, sport, famille) aujourd'hui",
           "Actividades habituales (escuela, aficiones, deporte, familia) hoy"),
    "PD": ("Having pain or discomfort today", "Avoir mal ou être gêné(e) aujourd'hui",
           "Tener dolor o malestar hoy"),
    "AD": ("Feeling worried, sad or unhappy today", "Se sentir inquiet, triste ou malheureux aujourd'hui",
           "Sentirse preocupado, triste o infeliz hoy"),
}

OFFICIAL_WORDING_HINT = ("Read the official EuroQol wording for this dimension.",
                         "Lire la formulation officielle d'EuroQol pour cette dimension.",
                         "Lea la redacción oficial de EuroQol para esta dimensión.")

ADULT = "${HQ1} >= 16"
YOUTH = "${HQ1} >= 8 and ${HQ1} <= 15"


def _block(prefix: str, labels: dict[str, tuple[str, str, str]], levels: str,
           relevant: str) -> tuple[Question, ...]:
    vas = f"{prefix}_VAS"
    return (
        *(q(f"select_one {levels}", f"{prefix}_{d}", *labels[d], required=True, relevant=relevant,
            hint=OFFICIAL_WORDING_HINT) for d in DIMENSIONS),
        q("integer", vas, "Health today on the visual analogue scale (0 worst to 100 best imaginable)",
          "Santé aujourd'hui sur l'échelle visuelle analogique (0 la pire à 100 la meilleure imaginable)",
          "Salud hoy en la escala visual analógica (0 la peor a 100 la mejor imaginable)",
          required=True, relevant=relevant, constraint=". >= 0 and . <= 100",
          constraint_message=("A whole number from 0 to 100", "Un nombre entier de 0 à 100",
                              "Un número entero de 0 a 100")),
    )


SURVEY = (
    q("integer", "HQ0", "Line number of the respondent in the household roster",
      "Numéro de ligne du répondant dans la liste du ménage",
      "Número de línea del informante en la lista del hogar", required=True, constraint=". >= 1"),
    q("integer", "HQ1", "Age of the respondent (completed years)", "Âge du répondant (années révolues)",
      "Edad del informante (años cumplidos)", required=True, constraint=". >= 8 and . <= 110",
      constraint_message=("The module is for ages 8 and over", "Le module concerne les 8 ans et plus",
                          "El módulo es para mayores de 8 años")),
    q("note", "HQ_NOTE_Y", "EQ-5D-Y (ages 8-15)", "EQ-5D-Y (8-15 ans)", "EQ-5D-Y (8-15 años)",
      relevant=YOUTH),
    *_block("EQ5DY", YOUTH_LABELS, "eq5dy_3l", YOUTH),
    q("note", "HQ_NOTE_A", "EQ-5D-3L (ages 16 and over)", "EQ-5D-3L (16 ans et plus)",
      "EQ-5D-3L (16 años y más)", relevant=ADULT),
    *_block("EQ5D", ADULT_LABELS, "eq5d_3l", ADULT),
    q("calculate", "EQ5D_PROFILE",
      calculation=("if(" + ADULT + ", concat(" + ", ".join(f"${{{v}}}" for v in ADULT_VARIABLES) + "), "
                   "concat(" + ", ".join(f"${{{v}}}" for v in YOUTH_VARIABLES) + "))")),
)

MODULE = Module(
    form_id="gmrd_health",
    title=Text("Health-related quality of life (EQ-5D)", "Qualité de vie liée à la santé (EQ-5D)",
               "Calidad de vida relacionada con la salud (EQ-5D)"),
    version="2025010101",
    description=("EQ-5D-3L for ages 16 and over, EQ-5D-Y-3L for ages 8-15, each with the visual analogue "
                 "scale. Official EuroQol wording must be licensed and pasted in before fieldwork."),
    survey=SURVEY,
    choices=LEVELS_3L + LEVELS_Y,
)
