"""Every patient-facing word of the store catalogue, French first, English second.

One dict per language, so a translation is a diff of one block. Codes are the keys; a test checks
that both languages label exactly the codes the models accept and the measures of the reference.
"""

from __future__ import annotations

from typing import Final

LANGUAGES: Final = ("fr", "en")

LABELS: Final[dict[str, dict[str, dict[str, str]]]] = {
    "fr": {
        "use_cases": {
            "suivi-pathologie": "Suivi d'une maladie chronique",
            "grossesse": "Grossesse",
            "prevention": "Prévention et information en santé",
            "carnet-vaccination": "Carnet de santé et de vaccination",
            "pre-post-hospitalisation": "Avant et après une hospitalisation",
            "observance": "Suivi des traitements",
            "rendez-vous": "Rendez-vous, téléconsultation et préadmission",
            "bien-etre": "Bien-être",
            "autonomie": "Autonomie et maintien à domicile",
            "mesures": "Mesures de santé et objets connectés",
        },
        "offeror_kinds": {
            "editeur-logiciel": "Éditeur de logiciel ou d'application",
            "teleconsultation": "Plateforme de téléconsultation",
            "prise-de-rendez-vous": "Plateforme de prise de rendez-vous",
            "portail-patient-hospitalier": "Portail patient d'un établissement de santé",
            "fabricant-objet-connecte": "Fabricant d'objets connectés",
        },
        "measures": {
            "body_weight": "poids",
            "body_height": "taille",
            "bmi": "IMC (indice de masse corporelle)",
            "steps_by_day": "nombre de pas",
            "body_temperature": "température",
            "waist_circumference": "tour de taille",
            "heart_rate": "fréquence cardiaque",
            "blood_pressure": "tension artérielle",
            "pain_severity": "niveau de douleur",
            "glucose": "glycémie",
        },
        "documents": {
            "syntheses": "de synthèse",
            "traitement-soins": "de traitement et de soins",
            "comptes-rendus": "de type compte rendu",
            "imagerie": "d'imagerie médicale",
            "biologie": "de biologie",
            "prevention": "de prévention",
        },
        "sentences": {
            "measures.read": "Lire vos mesures de {subject}",
            "measures.write": "Ajouter des mesures de {subject}",
            "measures.read.all": "Lire toutes vos mesures de santé",
            "measures.write.all": "Ajouter des mesures de santé de tout type",
            "documents.read": "Lire vos documents {subject}",
            "documents.write": "Ajouter des documents {subject}",
            "documents.read.all": "Lire tous vos documents",
            "documents.write.all": "Ajouter des documents de tout type",
            "agenda.read.all": "Lire votre agenda",
            "agenda.write.all": "Ajouter et modifier des rendez-vous dans votre agenda",
        },
    },
    "en": {
        "use_cases": {
            "suivi-pathologie": "Chronic condition follow-up",
            "grossesse": "Pregnancy",
            "prevention": "Prevention and health information",
            "carnet-vaccination": "Health and vaccination record",
            "pre-post-hospitalisation": "Before and after a hospital stay",
            "observance": "Medication adherence",
            "rendez-vous": "Appointments, teleconsultation and pre-admission",
            "bien-etre": "Well-being",
            "autonomie": "Autonomy and home care",
            "mesures": "Health measurements and connected devices",
        },
        "offeror_kinds": {
            "editeur-logiciel": "Software or app editor",
            "teleconsultation": "Teleconsultation platform",
            "prise-de-rendez-vous": "Appointment booking platform",
            "portail-patient-hospitalier": "Hospital patient portal",
            "fabricant-objet-connecte": "Connected device maker",
        },
        "measures": {
            "body_weight": "weight",
            "body_height": "height",
            "bmi": "BMI (body mass index)",
            "steps_by_day": "step count",
            "body_temperature": "temperature",
            "waist_circumference": "waist circumference",
            "heart_rate": "heart rate",
            "blood_pressure": "blood pressure",
            "pain_severity": "pain level",
            "glucose": "blood glucose",
        },
        "documents": {
            "syntheses": "summary",
            "traitement-soins": "treatment and care",
            "comptes-rendus": "medical report",
            "imagerie": "medical imaging",
            "biologie": "laboratory",
            "prevention": "prevention",
        },
        "sentences": {
            "measures.read": "Read your {subject} measurements",
            "measures.write": "Add {subject} measurements",
            "measures.read.all": "Read all your health measurements",
            "measures.write.all": "Add health measurements of any type",
            "documents.read": "Read your {subject} documents",
            "documents.write": "Add {subject} documents",
            "documents.read.all": "Read all your documents",
            "documents.write.all": "Add documents of any type",
            "agenda.read.all": "Read your calendar",
            "agenda.write.all": "Add and change appointments in your calendar",
        },
    },
}
"""language -> section -> code -> text."""


def label(lang: str, section: str, code: str) -> str:
    """The text of one code, e.g. `label("fr", "use_cases", "grossesse")`."""
    return LABELS[check_language(lang)][section][code]


def check_language(lang: str) -> str:
    """Return `lang` when it is offered, else raise `ValueError` naming the offered languages."""
    if lang not in LABELS:
        raise ValueError(f"Langue « {lang} » non prise en charge ; langues possibles : "
                         f"{', '.join(LANGUAGES)}.")
    return lang
