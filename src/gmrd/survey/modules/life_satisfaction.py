"""Life satisfaction (MICS module LS): happiness, the Cantril ladder, life getting better, domains.

LS1 happiness, LS2 ladder step (0 worst to 10 best possible life), LS3 life improved since last
year, LS4 life expected to be better in a year, as in the MICS6 individual questionnaires (women
and men age 15-24); and satisfaction with life domains (family, friends, school, job, health, where
one lives, how one is treated, one's looks, income, life overall) on the five-point MICS scale, as
in MICS5 (named LSD_* here). Scored by :mod:`gmrd.survey.scoring.life_satisfaction`.

References
----------
.. [1] UNICEF (2017). MICS6 Questionnaire for Individual Women / Men, module LS (Life
   satisfaction). https://mics.unicef.org/tools
.. [2] UNICEF (2013). MICS5 Questionnaire for Individual Women, module LS. https://mics.unicef.org/tools
.. [3] Cantril H (1965). The Pattern of Human Concerns. New Brunswick: Rutgers University Press.
"""

from __future__ import annotations

from gmrd.survey.modules.spec import Module, Text, choice_list, q

HAPPINESS = choice_list("happiness", [
    (1, "Very happy", "Très heureux(se)", "Muy feliz"),
    (2, "Somewhat happy", "Plutôt heureux(se)", "Algo feliz"),
    (3, "Neither happy nor unhappy", "Ni heureux(se) ni malheureux(se)", "Ni feliz ni infeliz"),
    (4, "Somewhat unhappy", "Plutôt malheureux(se)", "Algo infeliz"),
    (5, "Very unhappy", "Très malheureux(se)", "Muy infeliz"),
    (8, "Don't know", "Ne sait pas", "No sabe"),
])
SATISFACTION = choice_list("satisfaction", [
    (1, "Very satisfied", "Très satisfait(e)", "Muy satisfecho(a)"),
    (2, "Somewhat satisfied", "Plutôt satisfait(e)", "Algo satisfecho(a)"),
    (3, "Neither satisfied nor unsatisfied", "Ni satisfait(e) ni insatisfait(e)", "Ni satisfecho(a) ni insatisfecho(a)"),
    (4, "Somewhat unsatisfied", "Plutôt insatisfait(e)", "Algo insatisfecho(a)"),
    (5, "Very unsatisfied", "Très insatisfait(e)", "Muy insatisfecho(a)"),
    (8, "Don't know", "Ne sait pas", "No sabe"),
])
CHANGE_PAST = choice_list("change_past", [
    (1, "Improved", "S'est améliorée", "Mejoró"),
    (2, "More or less the same", "Est restée à peu près la même", "Sigue más o menos igual"),
    (3, "Worsened", "S'est détériorée", "Empeoró"),
    (8, "Don't know", "Ne sait pas", "No sabe"),
])
CHANGE_FUTURE = choice_list("change_future", [
    (1, "Better", "Meilleure", "Mejor"),
    (2, "More or less the same", "À peu près la même", "Más o menos igual"),
    (3, "Worse", "Pire", "Peor"),
    (8, "Don't know", "Ne sait pas", "No sabe"),
])

DOMAINS: dict[str, tuple[str, str, str]] = {
    "LSD_FAMILY": ("your family life", "votre vie de famille", "su vida familiar"),
    "LSD_FRIENDS": ("your friendships", "vos amitiés", "sus amistades"),
    "LSD_SCHOOL": ("your school", "votre école", "su escuela"),
    "LSD_JOB": ("your current job", "votre emploi actuel", "su trabajo actual"),
    "LSD_HEALTH": ("your health", "votre santé", "su salud"),
    "LSD_HOME": ("where you live", "l'endroit où vous vivez", "el lugar donde vive"),
    "LSD_TREATED": ("how people around you generally treat you",
                    "la façon dont les gens autour de vous vous traitent",
                    "cómo le tratan en general las personas a su alrededor"),
    "LSD_LOOKS": ("the way you look", "votre apparence", "su apariencia"),
    "LSD_INCOME": ("your current income", "votre revenu actuel", "sus ingresos actuales"),
    "LSD_LIFE": ("your life, overall", "votre vie dans l'ensemble", "su vida en general"),
}
"""Domain satisfaction items (1 very satisfied ... 5 very unsatisfied, 8 don't know)."""

CONDITIONAL_DOMAINS: dict[str, str] = {"LSD_SCHOOL": "${LS_SCHOOL} = '1'", "LSD_JOB": "${LS_JOB} = '1'"}

YES_NO_LS = choice_list("yes_no_ls", [(1, "Yes", "Oui", "Sí"), (2, "No", "Non", "No")])

SURVEY = (
    q("integer", "LS0", "Age of the respondent (completed years)", "Âge du répondant (années révolues)",
      "Edad del informante (años cumplidos)", required=True, constraint=". >= 10 and . <= 110"),
    q("select_one happiness", "LS1",
      "Taking all things together, would you say you are very happy, somewhat happy, neither happy nor "
      "unhappy, somewhat unhappy or very unhappy?",
      "Tout bien considéré, diriez-vous que vous êtes très heureux(se), plutôt heureux(se), ni heureux(se) "
      "ni malheureux(se), plutôt malheureux(se) ou très malheureux(se) ?",
      "Considerando todo, ¿diría que es muy feliz, algo feliz, ni feliz ni infeliz, algo infeliz o muy "
      "infeliz?", required=True),
    q("integer", "LS2",
      "Imagine a ladder with steps numbered from 0 at the bottom to 10 at the top. The top is the best "
      "possible life for you, the bottom the worst. On which step do you stand now?",
      "Imaginez une échelle dont les barreaux vont de 0 en bas à 10 en haut. Le haut représente la "
      "meilleure vie possible pour vous, le bas la pire. Sur quel barreau vous situez-vous maintenant ?",
      "Imagine una escalera con peldaños numerados de 0 abajo a 10 arriba. Arriba está la mejor vida "
      "posible para usted, abajo la peor. ¿En qué peldaño se encuentra ahora?", required=True,
      constraint=". >= 0 and . <= 10 or . = 98",
      hint=("0 to 10; 98 if the respondent does not know.", "0 à 10 ; 98 si le répondant ne sait pas.",
            "0 a 10; 98 si el informante no sabe.")),
    q("select_one change_past", "LS3",
      "Compared with this time last year, has your life improved, stayed more or less the same, or worsened?",
      "Par rapport à l'an dernier à la même époque, votre vie s'est-elle améliorée, est-elle restée à peu "
      "près la même ou s'est-elle détériorée ?",
      "En comparación con esta época el año pasado, ¿su vida mejoró, sigue más o menos igual o empeoró?",
      required=True),
    q("select_one change_future", "LS4",
      "In one year from now, do you expect your life to be better, more or less the same, or worse?",
      "Dans un an, pensez-vous que votre vie sera meilleure, à peu près la même ou pire ?",
      "Dentro de un año, ¿espera que su vida sea mejor, más o menos igual o peor?", required=True),
    q("select_one yes_no_ls", "LS_SCHOOL", "Are you attending school now?",
      "Fréquentez-vous actuellement l'école ?", "¿Asiste actualmente a la escuela?", required=True),
    q("select_one yes_no_ls", "LS_JOB", "Do you have a job now?", "Avez-vous un emploi actuellement ?",
      "¿Tiene un trabajo actualmente?", required=True),
    *(q("select_one satisfaction", name, f"How satisfied are you with {en}?",
        f"Dans quelle mesure êtes-vous satisfait(e) de {fr} ?", f"¿Qué tan satisfecho(a) está con {es}?",
        required=True, relevant=CONDITIONAL_DOMAINS.get(name, ""))
      for name, (en, fr, es) in DOMAINS.items()),
)

MODULE = Module(
    form_id="gmrd_life_satisfaction",
    title=Text("Life satisfaction", "Satisfaction à l'égard de la vie", "Satisfacción con la vida"),
    version="2025010101",
    description=("MICS6 LS1-LS4 (happiness, Cantril ladder, life improved, life expected to improve) and "
                 "MICS5-style satisfaction with life domains (LSD_*)."),
    survey=SURVEY,
    choices=HAPPINESS + SATISFACTION + CHANGE_PAST + CHANGE_FUTURE + YES_NO_LS,
)
