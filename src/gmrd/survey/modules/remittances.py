"""Remittances received by the household in the last 12 months.

Receipt, frequency, channels, amount and currency, and uses. The RM numbering is gmrd's; the
categories follow the IMF's definition of personal transfers and the channels distinguished in
the World Bank's remittance price surveys.

References
----------
.. [1] IMF (2009). International Transactions in Remittances: Guide for Compilers and Users.
   Washington, DC: International Monetary Fund.
.. [2] World Bank. Remittance Prices Worldwide (transfer channels). https://remittanceprices.worldbank.org
"""

from __future__ import annotations

from gmrd.survey.modules.spec import YES_NO, Module, Text, choice_list, q

FREQUENCY = choice_list("remit_frequency", [
    (1, "Every month", "Tous les mois", "Cada mes"),
    (2, "Every two or three months", "Tous les deux ou trois mois", "Cada dos o tres meses"),
    (3, "Two to four times a year", "Deux à quatre fois par an", "De dos a cuatro veces al año"),
    (4, "Once", "Une fois", "Una vez"),
    (5, "Irregularly, when needed", "Irrégulièrement, en cas de besoin", "Irregularmente, cuando se necesita"),
])

CHANNEL = choice_list("remit_channel", [
    ("bank", "Bank transfer", "Virement bancaire", "Transferencia bancaria"),
    ("mto", "Money transfer operator", "Société de transfert d'argent", "Empresa de envío de dinero"),
    ("mobile", "Mobile money", "Argent mobile", "Dinero móvil"),
    ("online", "Online service or application", "Service ou application en ligne",
     "Servicio o aplicación en línea"),
    ("post", "Post office", "Bureau de poste", "Oficina de correos"),
    ("carried", "Carried by the migrant or a traveller", "Apporté par le migrant ou un voyageur",
     "Traído por el migrante o un viajero"),
    ("informal", "Informal agent (hawala, hundi)", "Agent informel (hawala, hundi)",
     "Agente informal (hawala, hundi)"),
    ("goods", "In kind (goods)", "En nature (biens)", "En especie (bienes)"),
    ("other", "Other", "Autre", "Otro"),
])

CURRENCY = choice_list("currency", [
    ("local", "Local currency", "Monnaie locale", "Moneda local"),
    ("USD", "US dollar", "Dollar des États-Unis", "Dólar estadounidense"),
    ("EUR", "Euro", "Euro", "Euro"),
    ("other", "Other currency", "Autre monnaie", "Otra moneda"),
])

USES = choice_list("remit_use", [
    ("food", "Food and daily needs", "Nourriture et besoins quotidiens", "Alimentos y gastos diarios"),
    ("education", "Education", "Éducation", "Educación"),
    ("health", "Health care", "Soins de santé", "Atención de salud"),
    ("housing", "Housing, rent or construction", "Logement, loyer ou construction",
     "Vivienda, alquiler o construcción"),
    ("debt", "Paying debts", "Remboursement de dettes", "Pago de deudas"),
    ("business", "Business or farm investment", "Investissement dans une entreprise ou une exploitation",
     "Inversión en negocio o finca"),
    ("land", "Buying land", "Achat de terrain", "Compra de tierra"),
    ("savings", "Savings", "Épargne", "Ahorro"),
    ("events", "Celebrations, funerals", "Fêtes, funérailles", "Celebraciones, funerales"),
    ("other", "Other", "Autre", "Otro"),
])

SURVEY = (
    q("select_one yes_no", "RM1",
      "In the last 12 months, did this household receive money or goods from anyone living abroad?",
      "Au cours des 12 derniers mois, ce ménage a-t-il reçu de l'argent ou des biens de quelqu'un vivant "
      "à l'étranger ?",
      "En los últimos 12 meses, ¿este hogar recibió dinero o bienes de alguien que vive en el extranjero?",
      required=True),
    q("begin_group", "rm", "Remittances received", "Transferts reçus", "Remesas recibidas",
      relevant="${RM1} = '1'"),
    q("select_one remit_frequency", "RM2", "How often did the household receive them?",
      "À quelle fréquence le ménage les a-t-il reçus ?", "¿Con qué frecuencia los recibió el hogar?",
      required=True),
    q("select_multiple remit_channel", "RM3", "How were they sent?", "Comment ont-ils été envoyés ?",
      "¿Cómo fueron enviados?", required=True),
    q("decimal", "RM4", "What was the total amount received in the last 12 months?",
      "Quel a été le montant total reçu au cours des 12 derniers mois ?",
      "¿Cuál fue el monto total recibido en los últimos 12 meses?", required=True,
      constraint=". >= 0",
      hint=("Estimate the value of goods; 0 if only goods of unknown value.",
            "Estimer la valeur des biens ; 0 si seulement des biens de valeur inconnue.",
            "Estime el valor de los bienes; 0 si solo bienes de valor desconocido.")),
    q("select_one currency", "RM5", "In which currency?", "Dans quelle monnaie ?", "¿En qué moneda?",
      required=True),
    q("text", "RM5X", "Other currency (ISO 4217 code)", "Autre monnaie (code ISO 4217)",
      "Otra moneda (código ISO 4217)", required=True, relevant="${RM5} = 'other'",
      constraint="regex(., '^[A-Z]{3}$')",
      constraint_message=("Three capital letters, e.g. GBP", "Trois lettres majuscules, p. ex. GBP",
                          "Tres letras mayúsculas, p. ej. GBP")),
    q("select_multiple remit_use", "RM6", "What was the money used for?", "À quoi l'argent a-t-il servi ?",
      "¿En qué se usó el dinero?", required=True),
    q("end_group", "rm"),
)

MODULE = Module(
    form_id="gmrd_remittances",
    title=Text("Remittances", "Transferts de fonds", "Remesas"),
    version="2025010101",
    description="Money and goods received from abroad in the last 12 months.",
    survey=SURVEY,
    choices=YES_NO + FREQUENCY + CHANNEL + CURRENCY + USES,
)
