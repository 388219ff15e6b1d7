"""Household roster (MICS6 module HL) with the residence of each child's natural mother and father.

Variable names follow the MICS6 Household Questionnaire: HH1 cluster, HH2 household number,
HL1 line number, HL2 name, HL3 relationship to head, HL4 sex, HL6 age, HL12-HL15 natural
mother (alive, in the household, line number, where she lives), HL16-HL19 natural father.
The calculated MOTHER_RES / FATHER_RES carry the parent's residence in the codes of
:data:`RESIDENCE`, which :func:`gmrd.survey.scoring.derive.left_behind` reads.

References
----------
.. [1] UNICEF (2017). MICS6 Household Questionnaire, module HL (List of household members).
   https://mics.unicef.org/tools
"""

from __future__ import annotations

from gmrd.survey.modules.spec import SEX, YES_NO, YES_NO_DK, Module, Question, Text, choice_list, q

RESIDENCE: dict[int, str] = {
    1: "in_household",
    2: "elsewhere_in_country",
    3: "abroad",
    4: "dead",
    8: "unknown",
}
"""Codes of MOTHER_RES / FATHER_RES: where a child's natural parent lives."""

RES_IN_HOUSEHOLD, RES_IN_COUNTRY, RES_ABROAD, RES_DEAD, RES_UNKNOWN = 1, 2, 3, 4, 8

RELATIONSHIP = choice_list("relationship", [
    ("01", "Head", "Chef de ménage", "Jefe(a) del hogar"),
    ("02", "Wife or husband", "Épouse ou époux", "Esposa o esposo"),
    ("03", "Son or daughter", "Fils ou fille", "Hijo o hija"),
    ("04", "Son-in-law or daughter-in-law", "Gendre ou belle-fille", "Yerno o nuera"),
    ("05", "Grandchild", "Petit-enfant", "Nieto o nieta"),
    ("06", "Parent", "Père ou mère", "Padre o madre"),
    ("07", "Parent-in-law", "Beau-père ou belle-mère", "Suegro o suegra"),
    ("08", "Brother or sister", "Frère ou sœur", "Hermano o hermana"),
    ("09", "Brother-in-law or sister-in-law", "Beau-frère ou belle-sœur", "Cuñado o cuñada"),
    ("10", "Uncle or aunt", "Oncle ou tante", "Tío o tía"),
    ("11", "Niece or nephew", "Nièce ou neveu", "Sobrino o sobrina"),
    ("12", "Other relative", "Autre parent", "Otro pariente"),
    ("13", "Adopted, foster or stepchild", "Enfant adopté, placé ou beau-fils/belle-fille",
     "Hijo(a) adoptivo(a), de crianza o hijastro(a)"),
    ("14", "Not related", "Sans lien de parenté", "Sin parentesco"),
    ("98", "Don't know", "Ne sait pas", "No sabe"),
])
"""MICS6 HL3 relationship codes (also used for members abroad, MA4)."""

PARENT_WHERE = choice_list("parent_where", [
    (1, "Abroad", "À l'étranger", "En el extranjero"),
    (2, "In another household in the same region", "Dans un autre ménage de la même région",
     "En otro hogar de la misma región"),
    (3, "In another household in another region", "Dans un autre ménage d'une autre région",
     "En otro hogar de otra región"),
    (4, "In an institution in this country", "Dans une institution du pays",
     "En una institución en este país"),
    (8, "Don't know", "Ne sait pas", "No sabe"),
])


PARENT_TEXTS: dict[str, dict[str, tuple[str, str, str]]] = {
    "mother": {
        "alive": ("Is ${HL2}'s natural mother alive?", "La mère biologique de ${HL2} est-elle en vie ?",
                  "¿Está viva la madre biológica de ${HL2}?"),
        "here": ("Does ${HL2}'s natural mother live in this household?",
                 "La mère biologique de ${HL2} vit-elle dans ce ménage ?",
                 "¿Vive la madre biológica de ${HL2} en este hogar?"),
        "line": ("Line number of the mother", "Numéro de ligne de la mère", "Número de línea de la madre"),
        "where": ("Where does ${HL2}'s natural mother live?", "Où vit la mère biologique de ${HL2} ?",
                  "¿Dónde vive la madre biológica de ${HL2}?"),
    },
    "father": {
        "alive": ("Is ${HL2}'s natural father alive?", "Le père biologique de ${HL2} est-il en vie ?",
                  "¿Está vivo el padre biológico de ${HL2}?"),
        "here": ("Does ${HL2}'s natural father live in this household?",
                 "Le père biologique de ${HL2} vit-il dans ce ménage ?",
                 "¿Vive el padre biológico de ${HL2} en este hogar?"),
        "line": ("Line number of the father", "Numéro de ligne du père", "Número de línea del padre"),
        "where": ("Where does ${HL2}'s natural father live?", "Où vit le père biologique de ${HL2} ?",
                  "¿Dónde vive el padre biológico de ${HL2}?"),
    },
}


def _parent(first: int, who: str) -> tuple[Question, ...]:
    """Questions on one natural parent (alive, lives here, line number, where) and the residence code."""
    alive, here, line, where = (f"HL{first + i}" for i in range(4))
    text = PARENT_TEXTS[who]
    child = "${HL6} < 18"
    residence = (f"if(${{{alive}}} = '2', 4, if(${{{alive}}} = '8', 8, if(${{{here}}} = '1', 1, "
                 f"if(${{{where}}} = '1', 3, if(${{{where}}} = '2' or ${{{where}}} = '3' or "
                 f"${{{where}}} = '4', 2, 8)))))")
    return (
        q("select_one yes_no_dk", alive, *text["alive"], required=True, relevant=child),
        q("select_one yes_no", here, *text["here"], required=True,
          relevant=f"{child} and ${{{alive}}} = '1'"),
        q("integer", line, *text["line"], required=True, relevant=f"{child} and ${{{here}}} = '1'",
          constraint=". >= 1 and . <= count(../../hl) and . != ../HL1",
          constraint_message=("A line number of another household member",
                              "Numéro de ligne d'un autre membre du ménage",
                              "Número de línea de otro miembro del hogar")),
        q("select_one parent_where", where, *text["where"], required=True,
          relevant=f"{child} and ${{{here}}} = '2'"),
        q("calculate", f"{who.upper()}_RES", calculation=f"if({child}, {residence}, '')"),
    )


SURVEY = (
    q("integer", "HH1", "Cluster number", "Numéro de grappe", "Número de conglomerado", required=True,
      constraint=". > 0"),
    q("integer", "HH2", "Household number", "Numéro du ménage", "Número del hogar", required=True,
      constraint=". > 0"),
    q("begin_repeat", "hl", "Household members", "Membres du ménage", "Miembros del hogar"),
    q("calculate", "HL1", calculation="position(..)"),
    q("text", "HL2", "First name of the household member", "Prénom du membre du ménage",
      "Nombre del miembro del hogar", required=True),
    q("select_one relationship", "HL3", "What is the relationship of ${HL2} to the head of household?",
      "Quel est le lien de parenté de ${HL2} avec le chef de ménage ?",
      "¿Cuál es la relación de ${HL2} con el jefe del hogar?", required=True),
    q("select_one sex", "HL4", "Is ${HL2} male or female?", "${HL2} est-il de sexe masculin ou féminin ?",
      "¿${HL2} es hombre o mujer?", required=True),
    q("integer", "HL6", "How old is ${HL2}? (completed years)", "Quel âge a ${HL2} ? (années révolues)",
      "¿Cuántos años tiene ${HL2}? (años cumplidos)", required=True,
      constraint=". >= 0 and . <= 110",
      constraint_message=("Age in completed years, 0 to 110", "Âge en années révolues, de 0 à 110",
                          "Edad en años cumplidos, de 0 a 110")),
    *_parent(12, "mother"),
    *_parent(16, "father"),
    q("end_repeat", "hl"),
)

MODULE = Module(
    form_id="gmrd_roster",
    title=Text("Household roster", "Liste des membres du ménage", "Lista de miembros del hogar"),
    version="2025010101",
    description="Household roster with the residence of each child's natural parents (MICS6 HL).",
    survey=SURVEY,
    choices=YES_NO + YES_NO_DK + SEX + RELATIONSHIP + PARENT_WHERE,
)
