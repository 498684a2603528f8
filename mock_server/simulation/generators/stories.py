"""The medical facts services' documents are written from, per seed persona.

A hospital admits each persona for a reason that fits their story, a pharmacy dispenses their
treatment, a laboratory measures what their doctor follows. Personas not listed fall back to a
plain check-up, so a service connected "against the story" still writes a believable document.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Stay:
    """A short hospital stay: where, why, what was found and done, what comes next."""

    unit: str
    reason: str
    findings: tuple[str, ...]
    care: tuple[str, ...]
    outcome: str
    advice: tuple[str, ...]
    days: int


STAYS: dict[str, Stay] = {
    "pregnancy": Stay(
        "Maternité, unité de grossesses à haut risque",
        "menace d'accouchement prématuré (contractions utérines régulières)",
        ("Col utérin raccourci à 24 mm en échographie endovaginale.",
         "Monitoring : contractions toutes les 10 minutes, rythme cardiaque fœtal normal."),
        ("Repos, tocolyse par nifédipine pendant 48 heures.",
         "Corticothérapie de maturation pulmonaire fœtale (bétaméthasone, 2 injections)."),
        "Disparition des contractions, col stable au contrôle.",
        ("Repos relatif à domicile, arrêt de travail prolongé.",
         "Consultation à la maternité dans 8 jours ; sage-femme à domicile deux fois par "
         "semaine.",
         "Consulter en urgence en cas de contractions, de saignement ou de perte de liquide."),
        3,
    ),
    "diabetes": Stay(
        "Service d'endocrinologie-diabétologie",
        "déséquilibre glycémique persistant malgré le traitement oral",
        ("Glycémies capillaires entre 1,80 et 2,60 g/L, pas de cétose.",
         "HbA1c 8,6 %, fonction rénale conservée (DFG 78 mL/min)."),
        ("Éducation thérapeutique (alimentation, activité physique, autosurveillance).",
         "Introduction d'un agoniste du GLP-1 en injection hebdomadaire."),
        "Glycémies à jeun revenues entre 1,10 et 1,40 g/L.",
        ("Autosurveillance glycémique 2 fois par jour pendant un mois.",
         "Consultation de diabétologie dans 3 mois avec HbA1c.",
         "Bilan ophtalmologique annuel à programmer."),
        4,
    ),
    "autonomy": Stay(
        "Service de médecine gériatrique",
        "chute à domicile avec station au sol prolongée",
        ("Pas de fracture sur les radiographies du bassin et du poignet.",
         "Hypotension orthostatique ; légère déshydratation (créatinine 98 µmol/L)."),
        ("Réhydratation, adaptation du traitement antihypertenseur.",
         "Évaluation par le kinésithérapeute et l'ergothérapeute."),
        "Marche sécurisée avec déambulateur, pas de nouvelle chute pendant le séjour.",
        ("Téléassistance à mettre en place ; passage infirmier quotidien.",
         "Kinésithérapie à domicile, 2 séances par semaine (prévention des chutes).",
         "Consultation gériatrique dans un mois."),
        5,
    ),
    "child": Stay(
        "Service de pédiatrie générale",
        "exacerbation d'asthme modérée",
        ("Saturation à 93 % à l'arrivée, sibilants diffus.",
         "Pas de foyer à la radiographie du thorax."),
        ("Salbutamol en chambre d'inhalation, corticoïdes oraux pendant 3 jours.",
         "Vérification de la technique d'inhalation avec l'enfant et sa mère."),
        "Saturation à 98 % en air ambiant, auscultation normalisée.",
        ("Traitement de fond maintenu ; plan d'action écrit remis aux parents.",
         "Consultation chez le pneumo-pédiatre dans 4 à 6 semaines."),
        2,
    ),
    "discharged": Stay(
        "Service de chirurgie orthopédique",
        "épanchement douloureux du genou droit opéré (prothèse totale)",
        ("Genou droit chaud et gonflé, flexion limitée à 80°, pas de fièvre.",
         "Ponction articulaire : liquide stérile à l'examen direct et en culture ; CRP 18 mg/L."),
        ("Glaçage, antalgiques de palier 2, décharge partielle pendant 48 heures.",
         "Reprise de la rééducation dès la disparition de l'épanchement."),
        "Épanchement résorbé, flexion à 95°.",
        ("Kinésithérapie 3 fois par semaine.",
         "Anticoagulation préventive jusqu'à J35 de l'intervention.",
         "Consultation de chirurgie orthopédique dans 3 semaines avec radiographie."),
        2,
    ),
}
DEFAULT_STAY = Stay(
    "Service de médecine polyvalente",
    "bilan de douleurs abdominales",
    ("Examen clinique rassurant, bilan biologique normal.",
     "Échographie abdominale sans anomalie."),
    ("Antalgiques simples, réhydratation.",),
    "Disparition des douleurs en 24 heures.",
    ("Consultation chez le médecin traitant dans 15 jours.",),
    2,
)

TREATMENTS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "pregnancy": (
        ("Fer (sulfate ferreux) 80 mg", "1 comprimé le matin à jeun", "30 comprimés"),
        ("Acide folique 0,4 mg", "1 comprimé par jour", "30 comprimés"),
        ("Vitamine D3 100 000 UI", "1 ampoule en une prise", "1 ampoule"),
    ),
    "diabetes": (
        ("Metformine 1000 mg", "1 comprimé matin et soir au cours des repas", "60 comprimés"),
        ("Dapagliflozine 10 mg", "1 comprimé le matin", "30 comprimés"),
        ("Atorvastatine 20 mg", "1 comprimé le soir", "30 comprimés"),
        ("Bandelettes de glycémie", "2 contrôles par jour", "100 bandelettes"),
    ),
    "autonomy": (
        ("Amlodipine 5 mg", "1 comprimé le matin", "30 comprimés"),
        ("Paracétamol 1 g", "1 comprimé jusqu'à 3 fois par jour si douleur", "48 comprimés"),
        ("Cholécalciférol 50 000 UI", "1 ampoule par mois", "1 ampoule"),
        ("Macrogol 10 g", "1 sachet le matin", "20 sachets"),
    ),
    "parent": (
        ("Desloratadine 5 mg", "1 comprimé par jour pendant la saison des pollens",
         "30 comprimés"),
    ),
    "child": (
        ("Fluticasone 50 µg/dose, inhalateur", "2 bouffées matin et soir avec la chambre",
         "1 flacon"),
        ("Salbutamol 100 µg/dose, inhalateur", "2 à 4 bouffées en cas de gêne respiratoire",
         "1 flacon"),
    ),
    "discharged": (
        ("Enoxaparine 4000 UI/0,4 mL", "1 injection sous-cutanée par jour", "14 seringues"),
        ("Paracétamol 1 g", "1 comprimé toutes les 6 heures si douleur", "56 comprimés"),
        ("Tramadol 50 mg", "1 gélule jusqu'à 3 fois par jour si douleur forte", "18 gélules"),
    ),
}
DEFAULT_TREATMENT = (("Paracétamol 1 g", "1 comprimé jusqu'à 3 fois par jour si douleur",
                      "16 comprimés"),)

LABS: dict[str, tuple[tuple[str, float, float, int, str, float | None, float | None], ...]] = {
    "pregnancy": (
        ("Hémoglobine", 10.9, 11.9, 1, "g/dL", 11.0, 15.0),
        ("Ferritine", 14, 30, 0, "µg/L", 15, 150),
        ("Glycémie à jeun", 0.78, 0.90, 2, "g/L", 0.70, 0.92),
        ("Plaquettes", 190, 260, 0, "G/L", 150, 400),
    ),
    "diabetes": (
        ("Hémoglobine glyquée (HbA1c)", 6.6, 7.4, 1, "%", 4.0, 6.0),
        ("Glycémie à jeun", 1.12, 1.38, 2, "g/L", 0.70, 1.10),
        ("Créatininémie", 78, 96, 0, "µmol/L", 59, 104),
        ("Cholestérol LDL", 0.92, 1.18, 2, "g/L", None, 1.00),
    ),
    "autonomy": (
        ("Hémoglobine", 11.7, 12.6, 1, "g/dL", 12.0, 16.0),
        ("Sodium", 134, 139, 0, "mmol/L", 136, 145),
        ("Créatininémie", 74, 96, 0, "µmol/L", 45, 90),
        ("Vitamine D (25-OH)", 18, 29, 0, "ng/mL", 30, 100),
    ),
    "discharged": (
        ("Hémoglobine", 11.9, 13.1, 1, "g/dL", 13.0, 17.0),
        ("Protéine C réactive (CRP)", 6, 22, 0, "mg/L", None, 5),
        ("Plaquettes", 230, 380, 0, "G/L", 150, 400),
    ),
}
DEFAULT_LABS = (
    ("Hémoglobine", 12.6, 14.6, 1, "g/dL", 12.0, 16.0),
    ("Glycémie à jeun", 0.80, 0.98, 2, "g/L", 0.70, 1.10),
    ("Cholestérol total", 1.70, 2.10, 2, "g/L", None, 2.00),
)
"""(label, low draw, high draw, decimals, unit, reference low, reference high)."""
