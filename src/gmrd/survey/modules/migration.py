"""International migration of household members, answered by a proxy respondent.

One repeat per member now living abroad: relationship (MICS6 HL3 codes), sex, age, country of
residence, year of departure, how the journey was made, occupation before leaving and now, and
how often and by which means the household communicates with them. The MA numbering is gmrd's:
MICS6 has no international-migration module.

References
----------
.. [1] UNICEF (2017). MICS6 Household Questionnaire, module HL (relationship codes).
   https://mics.unicef.org/tools
.. [2] United Nations (1998). Recommendations on Statistics of International Migration, Revision 1.
   Statistical Papers Series M No. 58/Rev.1 (definition of international migrant).
"""

from __future__ import annotations

from gmrd.survey.modules.roster import RELATIONSHIP
from gmrd.survey.modules.spec import SEX, YES_NO, Module, Text, choice_list, q

JOURNEY = choice_list("journey", [
    (1, "Regular, with a visa or work permit", "Régulière, avec un visa ou un permis de travail",
     "Regular, con visa o permiso de trabajo"),
    (2, "Family reunification", "Regroupement familial", "Reunificación familiar"),
    (3, "To study", "Pour étudier", "Para estudiar"),
    (4, "As a refugee or asylum seeker", "Comme réfugié ou demandeur d'asile",
     "Como refugiado o solicitante de asilo"),
    (5, "Irregular, without documents", "Irrégulière, sans documents", "Irregular, sin documentos"),
    (6, "With a smuggler or paid intermediary", "Avec un passeur ou un intermédiaire payé",
     "Con un traficante o intermediario pagado"),
    (96, "Other", "Autre", "Otro"),
    (98, "Don't know", "Ne sait pas", "No sabe"),
])

OCCUPATION = choice_list("occupation", [
    (1, "Student", "Élève ou étudiant", "Estudiante"),
    (2, "Agriculture, fishing", "Agriculture, pêche", "Agricultura, pesca"),
    (3, "Construction", "Construction", "Construcción"),
    (4, "Manufacturing", "Industrie manufacturière", "Manufactura"),
    (5, "Trade, sales", "Commerce, vente", "Comercio, ventas"),
    (6, "Domestic or care work", "Travail domestique ou de soins", "Trabajo doméstico o de cuidados"),
    (7, "Other services", "Autres services", "Otros servicios"),
    (8, "Professional or technical", "Profession libérale ou technique", "Profesional o técnico"),
    (9, "Unemployed, looking for work", "Chômeur, à la recherche d'un emploi",
     "Desempleado, buscando trabajo"),
    (10, "Not working, not looking for work", "Inactif", "No trabaja ni busca trabajo"),
    (96, "Other", "Autre", "Otro"),
    (98, "Don't know", "Ne sait pas", "No sabe"),
])

CONTACT_FREQUENCY = choice_list("contact_frequency", [
    (1, "Every day", "Tous les jours", "Todos los días"),
    (2, "At least once a week", "Au moins une fois par semaine", "Al menos una vez por semana"),
    (3, "At least once a month", "Au moins une fois par mois", "Al menos una vez al mes"),
    (4, "Less than once a month", "Moins d'une fois par mois", "Menos de una vez al mes"),
    (5, "Never", "Jamais", "Nunca"),
])

CONTACT_MEANS = choice_list("contact_means", [
    ("phone", "Phone call", "Appel téléphonique", "Llamada telefónica"),
    ("video", "Video call", "Appel vidéo", "Videollamada"),
    ("messaging", "Messaging application or SMS", "Messagerie ou SMS", "Aplicación de mensajería o SMS"),
    ("social_media", "Social media", "Réseaux sociaux", "Redes sociales"),
    ("letter", "Letter or e-mail", "Lettre ou courriel", "Carta o correo electrónico"),
    ("visit", "Visits", "Visites", "Visitas"),
    ("other", "Other", "Autre", "Otro"),
])

SURVEY = (
    q("integer", "MA0", "Line number of the respondent in the household roster",
      "Numéro de ligne du répondant dans la liste du ménage",
      "Número de línea del informante en la lista del hogar", required=True, constraint=". >= 1",
      hint=("The respondent answers for the members abroad (proxy).",
            "Le répondant répond pour les membres à l'étranger (répondant indirect).",
            "El informante responde por los miembros en el extranjero (informante indirecto).")),
    q("select_one yes_no", "MA1",
      "Does any former member of this household now live in another country?",
      "Un ancien membre de ce ménage vit-il actuellement dans un autre pays ?",
      "¿Algún antiguo miembro de este hogar vive actualmente en otro país?", required=True),
    q("integer", "MA2", "How many former members now live abroad?",
      "Combien d'anciens membres vivent actuellement à l'étranger ?",
      "¿Cuántos antiguos miembros viven actualmente en el extranjero?", required=True,
      relevant="${MA1} = '1'", constraint=". >= 1 and . <= 30"),
    q("begin_repeat", "ma", "Member abroad", "Membre à l'étranger", "Miembro en el extranjero",
      relevant="${MA1} = '1'", repeat_count="${MA2}"),
    q("calculate", "MA_LINE", calculation="position(..)"),
    q("text", "MA3", "First name of the member abroad", "Prénom du membre à l'étranger",
      "Nombre del miembro en el extranjero", required=True),
    q("select_one relationship", "MA4", "What is the relationship of ${MA3} to the head of household?",
      "Quel est le lien de parenté de ${MA3} avec le chef de ménage ?",
      "¿Cuál es la relación de ${MA3} con el jefe del hogar?", required=True),
    q("select_one sex", "MA5", "Is ${MA3} male or female?", "${MA3} est-il de sexe masculin ou féminin ?",
      "¿${MA3} es hombre o mujer?", required=True),
    q("integer", "MA6", "How old is ${MA3} now? (completed years)",
      "Quel âge a ${MA3} maintenant ? (années révolues)",
      "¿Cuántos años tiene ${MA3} ahora? (años cumplidos)", required=True,
      constraint=". >= 0 and . <= 110"),
    q("text", "MA7", "In which country does ${MA3} live now?", "Dans quel pays vit ${MA3} actuellement ?",
      "¿En qué país vive ${MA3} actualmente?", required=True,
      hint=("Country name; coded to UN M49 when the data are processed.",
            "Nom du pays ; codé selon la norme M49 de l'ONU lors du traitement.",
            "Nombre del país; se codifica según M49 de la ONU al procesar los datos.")),
    q("integer", "MA8", "In which year did ${MA3} leave?", "En quelle année ${MA3} est-il/elle parti(e) ?",
      "¿En qué año se fue ${MA3}?", required=True,
      constraint=". >= 1940 and . <= format-date(today(), '%Y')",
      constraint_message=("A year from 1940 to this year", "Une année de 1940 à cette année",
                          "Un año de 1940 a este año")),
    q("select_one journey", "MA9", "How did ${MA3} make the journey?",
      "Comment ${MA3} a-t-il/elle fait le voyage ?", "¿Cómo hizo ${MA3} el viaje?", required=True),
    q("text", "MA9X", "Other way of travelling (specify)", "Autre manière de voyager (préciser)",
      "Otra forma de viajar (especifique)", required=True, relevant="${MA9} = '96'"),
    q("select_one occupation", "MA10", "What was ${MA3}'s main occupation before leaving?",
      "Quelle était l'occupation principale de ${MA3} avant de partir ?",
      "¿Cuál era la ocupación principal de ${MA3} antes de irse?", required=True),
    q("select_one occupation", "MA11", "What is ${MA3}'s main occupation now?",
      "Quelle est l'occupation principale de ${MA3} maintenant ?",
      "¿Cuál es la ocupación principal de ${MA3} ahora?", required=True),
    q("select_one contact_frequency", "MA12", "How often does the household communicate with ${MA3}?",
      "À quelle fréquence le ménage communique-t-il avec ${MA3} ?",
      "¿Con qué frecuencia se comunica el hogar con ${MA3}?", required=True),
    q("select_multiple contact_means", "MA13", "By which means?", "Par quels moyens ?", "¿Por qué medios?",
      required=True, relevant="${MA12} != '5'"),
    q("end_repeat", "ma"),
)

MODULE = Module(
    form_id="gmrd_migration",
    title=Text("International migration of household members", "Migration internationale des membres du ménage",
               "Migración internacional de los miembros del hogar"),
    version="2025010101",
    description="Former household members now living abroad, reported by a proxy respondent.",
    survey=SURVEY,
    choices=YES_NO + SEX + RELATIONSHIP + JOURNEY + OCCUPATION + CONTACT_FREQUENCY + CONTACT_MEANS,
)
