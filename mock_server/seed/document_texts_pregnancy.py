"""Camille Martin's pregnancy file: first visit, first-trimester tests, screening, growth scans.

Dates count from her last menstrual period (the shared story timeline), so the terms quoted in
each document (12 SA + 3 j...) agree with each other and with her measures.
"""

from __future__ import annotations

from datetime import date, timedelta

from mock_server.seed import document_codes as code
from mock_server.seed.document_layout import (
    DraftDocument,
    StoryContext,
    batch_number,
    fr_date,
    fr_long_date,
    fr_num,
    fr_time,
    lab,
    lab_text,
    workday,
)
from mock_server.seed.measure_timeline import last_menstrual_period

_BLOOD_GROUPS = (
    ("A RhD positif", "D+ C+ E- c+ e+ K-"),
    ("O RhD positif", "D+ C+ E- c- e+ K-"),
    ("B RhD positif", "D+ C- E+ c+ e+ K-"),
    ("A RhD positif", "D+ C+ E+ c+ e+ K-"),
)


def _biometry(ctx: StoryContext, label: str, low_mm: int, high_mm: int) -> str:
    """A fetal biometry line of a harmonious growth (value and percentile)."""
    value = int(ctx.uniform(low_mm, high_mm))
    return f"  {label} : {value} mm ({ctx.rng.randint(30, 70)}e percentile)"


class _Pregnancy:
    """The facts every document of the pregnancy shares (terms, measurements, results)."""

    def __init__(self, ctx: StoryContext) -> None:
        self.ctx = ctx
        self.lmp = last_menstrual_period(ctx.anchor)
        self.term = self.lmp + timedelta(days=280)
        self.height = int(ctx.uniform(158, 172))
        self.weight = ctx.uniform(54, 66, 1)
        self.blood_group = ctx.choice(_BLOOD_GROUPS)
        self.nuchal = ctx.uniform(1.0, 1.9, 1)
        self.crl = ctx.uniform(56, 62, 1)
        self.risk = int(ctx.uniform(260, 880))
        self.first_scan = self.day(12, ctx.rng.randint(2, 5))
        self.toxo_t1 = ctx.uniform(0.2, 1.5, 1)

    def exact(self, weeks: int, days: int) -> date:
        """The day a term (weeks + days of amenorrhoea) is reached."""
        return self.lmp + timedelta(days=weeks * 7 + days)

    def day(self, weeks: int, days: int) -> date:
        """The working day a visit or test planned at that term takes place."""
        return workday(self.exact(weeks, days))

    def sa(self, day: date) -> str:
        """The term on `day`: "12 SA + 4 j" (semaines d'aménorrhée)."""
        weeks, days = divmod((day - self.lmp).days, 7)
        return f"{weeks} SA" if days == 0 else f"{weeks} SA + {days} j"


def pregnancy_documents(ctx: StoryContext) -> list[DraftDocument]:
    """Camille Martin, about six months pregnant (27 SA at the anchor)."""
    p = _Pregnancy(ctx)
    sixth_month = _SixthMonth(ctx)
    return [
        _first_visit(p),
        _first_tests_order(p),
        _first_trimester_labs(p),
        _first_trimester_scan(p),
        _combined_screening(p),
        _cell_free_dna(p),
        _toxoplasmosis(p),
        _pertussis_vaccine(p),
        _second_trimester_scan(p),
        _follow_up_plan(p),
        _sixth_month_labs(p, sixth_month),
        _iron_prescription(p, sixth_month),
    ]


def _first_visit(p: _Pregnancy) -> DraftDocument:
    ctx = p.ctx
    bmi = p.weight / (p.height / 100) ** 2
    systolic, diastolic = int(ctx.uniform(100, 118)), int(ctx.uniform(60, 74))
    return ctx.doc(code.CONSULTATION, "Consultation de début de grossesse",
                   ctx.at(p.day(8, 3), 10), "gyneco", [
        "Motif : première consultation prénatale, déclaration de grossesse.",
        "Gestité / parité : G1 P0.",
        f"Date des dernières règles : {fr_date(p.lmp)} (cycles réguliers de 28 jours).",
        f"Terme prévu : {fr_date(p.term)}, à confirmer par l'échographie de datation.",
        "Antécédents médicaux et chirurgicaux : aucun.",
        "Antécédents familiaux : pas de diabète, pas de maladie génétique connue.",
        "Allergies : aucune connue. Tabac : non. Alcool : aucun depuis le projet de grossesse.",
        "Traitement en cours : acide folique 0,4 mg par jour, débuté avant la conception.",
        "",
        "Examen clinique :",
        f"  Poids {fr_num(p.weight, 1)} kg, taille {p.height} cm (IMC {fr_num(bmi, 1)} kg/m²),"
        f" TA {systolic}/{diastolic} mmHg.",
        "  Col long et fermé, pas de saignement. Seins sans particularité.",
        "  Échographie de contrôle : grossesse intra-utérine monofœtale, activité cardiaque"
        " présente.",
        "",
        f"Conclusion : grossesse de {p.sa(p.day(8, 3))} d'évolution normale, suivi à bas risque.",
        "Conduite à tenir :",
        "  - déclaration de grossesse transmise à l'Assurance Maladie et à la CAF ;",
        "  - bilan biologique du premier trimestre prescrit ;",
        "  - échographie de datation entre 11 SA et 13 SA + 6 j, avec dépistage combiné ;",
        "  - entretien prénatal précoce proposé avec la sage-femme de la maternité ;",
        "  - conseils de prévention (toxoplasmose, listériose) remis à la patiente.",
        "Prochaine consultation : au 4e mois.",
    ])


def _first_tests_order(p: _Pregnancy) -> DraftDocument:
    ctx = p.ctx
    return ctx.doc(code.PRESCRIPTION_AUTRE, "Ordonnance d'examens du premier trimestre",
                   ctx.at(p.day(8, 3), 10, 40), "gyneco", [
        "ORDONNANCE D'EXAMENS",
        "",
        "Examens de biologie médicale (à jeun) :",
        "  - Groupe sanguin ABO-RhD et phénotype RH-KEL (deux déterminations)",
        "  - Recherche d'agglutinines irrégulières (RAI)",
        "  - Sérologies toxoplasmose (IgG, IgM), rubéole (IgG) et syphilis",
        "  - Sérologie VIH 1 et 2 (proposée et acceptée par la patiente)",
        "  - Antigène HBs et sérologie de l'hépatite C",
        "  - Glycémie à jeun, numération formule sanguine",
        "Si la patiente n'est pas immunisée contre la toxoplasmose : sérologie mensuelle",
        "jusqu'à l'accouchement.",
        "",
        "Dépistage combiné de la trisomie 21 (avec consentement) :",
        f"  - marqueurs sériques du 1er trimestre, à prélever entre le {fr_date(p.exact(11, 0))}"
        f" et le {fr_date(p.exact(13, 6))}",
        "",
        "Imagerie :",
        f"  - échographie obstétricale de datation entre le {fr_date(p.exact(11, 0))} et le"
        f" {fr_date(p.exact(13, 6))},",
        "    avec mesure de la longueur cranio-caudale et de la clarté nucale.",
    ])


def _first_trimester_labs(p: _Pregnancy) -> DraftDocument:
    ctx = p.ctx
    group, phenotype = p.blood_group
    sampled = ctx.at(p.day(9, 1), 8)
    return ctx.doc(code.BIOLOGIE, "Bilan biologique du premier trimestre de grossesse",
                   ctx.at(p.day(9, 1), 17), "biologiste", [
        f"Prélèvement du {fr_date(sampled)} à {fr_time(sampled)}, à jeun."
        f" Prescripteur : {ctx.team['gyneco'].name}.",
        "",
        "IMMUNO-HÉMATOLOGIE",
        lab_text("Groupe sanguin ABO-RhD", group, "2 déterminations"),
        lab_text("Phénotype RH-KEL", phenotype),
        lab_text("Agglutinines irrégulières (RAI)", "négative"),
        "SÉROLOGIES",
        lab_text("Toxoplasmose IgG", f"{fr_num(p.toxo_t1, 1)} UI/mL, négatif", "seuil 8 UI/mL"),
        lab_text("Toxoplasmose IgM", "négatif"),
        lab_text("Rubéole IgG", f"{int(ctx.uniform(25, 120))} UI/mL, immunisée", "seuil 10"),
        lab_text("Syphilis (test tréponémique)", "négatif"),
        lab_text("VIH 1 et 2 (test combiné)", "négatif"),
        lab_text("Antigène HBs", "négatif"),
        lab_text("Anticorps anti-VHC", "négatif"),
        "BIOCHIMIE",
        lab("Glycémie à jeun", ctx.uniform(0.72, 0.88, 2), 2, "g/L", 0.70, 0.92),
        "HÉMATOLOGIE",
        lab("Hémoglobine", ctx.uniform(12.0, 13.4, 1), 1, "g/dL", 11.5, 15.5),
        lab("Leucocytes", ctx.uniform(6.0, 10.5, 1), 1, "G/L", 4.0, 11.0),
        lab("Plaquettes", int(ctx.uniform(190, 320)), 0, "G/L", 150, 400),
        "",
        "Conclusion : patiente NON immunisée contre la toxoplasmose : surveillance",
        "sérologique mensuelle et mesures de prévention. Immunisée contre la rubéole.",
        "Glycémie à jeun normale pour le terme.",
    ])


def _first_trimester_scan(p: _Pregnancy) -> DraftDocument:
    ctx = p.ctx
    scan_day = p.first_scan
    return ctx.doc(code.IMAGERIE, "Échographie obstétricale du premier trimestre",
                   ctx.at(scan_day, 11), "echographiste", [
        "Indication : échographie de datation et de dépistage du premier trimestre.",
        f"DDR : {fr_date(p.lmp)}. Terme selon la DDR : {p.sa(scan_day)}.",
        "Voie abdominale, complétée par voie endovaginale.",
        "",
        "Grossesse intra-utérine monofœtale évolutive,"
        f" activité cardiaque régulière à {int(ctx.uniform(150, 166))} bpm.",
        "Biométrie :",
        f"  Longueur cranio-caudale (LCC) : {fr_num(p.crl, 1)} mm",
        f"  Diamètre bipariétal (BIP) : {fr_num(ctx.uniform(19, 23, 1), 1)} mm",
        f"  Clarté nucale : {fr_num(p.nuchal, 1)} mm (coupe sagittale stricte, critères de"
        " qualité respectés)",
        f"Terme échographique concordant avec la DDR : terme prévu maintenu au {fr_date(p.term)}.",
        "Morphologie précoce : pôle céphalique, paroi abdominale et quatre membres visibles,",
        "sans anomalie décelable à ce terme.",
        "Trophoblaste postérieur. Liquide amniotique en quantité normale. Pas de décollement.",
        "",
        f"Conclusion : grossesse monofœtale évolutive de {p.sa(scan_day)}, biométrie",
        f"conforme, clarté nucale à {fr_num(p.nuchal, 1)} mm. Mesures transmises au",
        "laboratoire pour le calcul du risque combiné de trisomie 21.",
    ])


def _combined_screening(p: _Pregnancy) -> DraftDocument:
    ctx = p.ctx
    scan_day = p.first_scan
    return ctx.doc(code.DEPISTAGE, "Dépistage combiné de la trisomie 21 au premier trimestre",
                   ctx.at(workday(scan_day + timedelta(days=7)), 15), "biologiste", [
        "Dépistage combiné : marqueurs sériques maternels, clarté nucale et âge maternel.",
        f"Prélèvement sanguin du {fr_date(scan_day)} (terme {p.sa(scan_day)}).",
        f"Échographie du {fr_date(scan_day)} ({ctx.team['echographiste'].name}) :"
        f" LCC {fr_num(p.crl, 1)} mm, clarté nucale {fr_num(p.nuchal, 1)} mm.",
        f"Poids maternel : {fr_num(p.weight, 1)} kg. Tabac : non. Grossesse spontanée.",
        "",
        "Résultats :",
        f"  PAPP-A : {fr_num(ctx.uniform(0.42, 0.62, 2), 2)} MoM",
        f"  β-hCG libre : {fr_num(ctx.uniform(1.55, 2.10, 2), 2)} MoM",
        "Calcul par logiciel agréé, médianes établies par le laboratoire.",
        "",
        f"Risque combiné de trisomie 21 fœtale : 1/{p.risk}",
        "Seuil de décision : 1/1000.",
        "",
        "Interprétation : risque compris entre 1/1000 et 1/51. Selon les recommandations en",
        "vigueur, un dépistage par analyse de l'ADN fœtal libre circulant dans le sang maternel",
        "(DPNI) est proposé. Ce résultat n'est pas un diagnostic : la grande majorité des",
        "grossesses présentant ce niveau de risque se déroulent normalement.",
        f"Résultat transmis au prescripteur, {ctx.team['gyneco'].name}.",
    ])


def _cell_free_dna(p: _Pregnancy) -> DraftDocument:
    ctx = p.ctx
    sampled = p.day(14, 2)
    negative = "absence d'argument pour une trisomie (négatif)"
    return ctx.doc(code.GENETIQUE_MOLECULAIRE,
                   "Dépistage prénatal non invasif des trisomies 21, 18 et 13 (ADN libre)",
                   ctx.at(p.day(15, 4), 14), "geneticien", [
        "Analyse : recherche des trisomies 21, 18 et 13 fœtales par étude de l'ADN libre",
        "circulant dans le sang maternel.",
        f"Indication : risque combiné du premier trimestre à 1/{p.risk}.",
        f"Prélèvement du {fr_date(sampled)}, terme {p.sa(p.day(14, 2))}. Grossesse monofœtale.",
        "Attestation d'information et consentement écrit de la patiente recueillis.",
        f"Prescripteur : {ctx.team['gyneco'].name}.",
        "",
        "Méthode : séquençage haut débit à faible profondeur du génome entier,",
        "analyse bio-informatique par comptage des lectures par chromosome.",
        f"Fraction fœtale : {fr_num(ctx.uniform(7, 14, 1), 1)} % (seuil de validité : 4 %).",
        "",
        "Résultats :",
        f"  Chromosome 21 : {negative}",
        f"  Chromosome 18 : {negative}",
        f"  Chromosome 13 : {negative}",
        "",
        "Conclusion : résultat NÉGATIF. Le risque de trisomie 21, 18 ou 13 fœtale est très",
        "faible. Ce test est un dépistage et non un diagnostic ; le suivi échographique",
        "habituel de la grossesse est poursuivi. Le sexe fœtal n'est pas communiqué.",
    ])


def _toxoplasmosis(p: _Pregnancy) -> DraftDocument:
    ctx = p.ctx
    days = ctx.rng.randint(0, 4)
    return ctx.doc(code.BIOLOGIE, "Sérologie de la toxoplasmose (surveillance mensuelle)",
                   ctx.at(p.day(18, days), 16), "biologiste", [
        "Surveillance mensuelle d'une femme enceinte non immunisée contre la toxoplasmose.",
        f"Prélèvement du {fr_date(p.day(18, days))} (terme {p.sa(p.day(18, days))})."
        f" Prescripteur : {ctx.team['gyneco'].name}.",
        "",
        "SÉROLOGIE DE LA TOXOPLASMOSE (immuno-enzymologie automatisée)",
        lab_text("Toxoplasmose IgG", f"{fr_num(ctx.uniform(0.2, 1.5, 1), 1)} UI/mL, négatif",
                 "seuil 8 UI/mL"),
        lab_text("Toxoplasmose IgM", f"index {fr_num(ctx.uniform(0.05, 0.3, 2), 2)}, négatif",
                 "seuil 0,80"),
        "",
        "Antériorités du laboratoire :",
        f"  {fr_date(p.day(9, 1))} : IgG {fr_num(p.toxo_t1, 1)} UI/mL, IgM négatives",
        f"  {fr_date(p.day(14, 2))} : IgG et IgM négatives",
        "",
        "Conclusion : absence de séroconversion toxoplasmique. La patiente reste non",
        "immunisée : poursuivre la surveillance mensuelle jusqu'à l'accouchement et les",
        "mesures de prévention (viande bien cuite, lavage des crudités et des mains).",
        f"Prochain contrôle conseillé vers le {fr_date(p.day(22, days))}.",
    ])


def _pertussis_vaccine(p: _Pregnancy) -> DraftDocument:
    ctx = p.ctx
    days = ctx.rng.randint(0, 5)
    when = ctx.at(p.day(21, days), 9)
    return ctx.doc(code.ACTE_PREVENTIF, "Vaccination contre la coqueluche pendant la grossesse",
                   when, "sage_femme", [
        "Acte : vaccination contre la coqueluche au cours de la grossesse.",
        "Indication : recommandation de la Haute Autorité de santé (vaccination de la femme",
        "enceinte à chaque grossesse, à partir de 20 SA) afin de protéger le nourrisson dès",
        "la naissance par le passage transplacentaire des anticorps.",
        f"Terme : {p.sa(p.day(21, days))}.",
        "Vérifications : apyrexie, pas d'allergie connue aux composants du vaccin, dernier",
        "rappel diphtérie-tétanos-coqueluche-poliomyélite à l'âge de 25 ans.",
        "",
        "Vaccin administré : diphtérie, tétanos, coqueluche acellulaire, poliomyélite",
        "(dTcaPolio, dose réduite en antigènes), 0,5 mL.",
        f"Voie intramusculaire, deltoïde gauche. Lot : {batch_number(ctx.rng)}."
        f" Heure : {fr_time(when)}.",
        "Surveillance de 15 minutes : aucune réaction immédiate.",
        "",
        "Conseils : douleur au point d'injection possible pendant 24 à 48 heures ;",
        "paracétamol si besoin. Vaccination inscrite dans le carnet de vaccination.",
    ])


def _second_trimester_scan(p: _Pregnancy) -> DraftDocument:
    ctx = p.ctx
    days = ctx.rng.randint(1, 4)
    return ctx.doc(code.IMAGERIE, "Échographie obstétricale du deuxième trimestre",
                   ctx.at(p.day(22, days), 14), "echographiste", [
        "Indication : échographie morphologique de dépistage du deuxième trimestre.",
        f"Terme : {p.sa(p.day(22, days))} (DDR du {fr_date(p.lmp)}, terme prévu le"
        f" {fr_date(p.term)}).",
        "Grossesse monofœtale, présentation céphalique, activité cardiaque régulière à"
        f" {int(ctx.uniform(140, 155))} bpm,",
        "mouvements actifs perçus.",
        "Biométrie (courbes du Collège français d'échographie fœtale) :",
        _biometry(ctx, "Périmètre céphalique", 196, 206),
        _biometry(ctx, "Périmètre abdominal", 170, 182),
        _biometry(ctx, "Longueur fémorale", 37, 41),
        f"  Estimation du poids fœtal : {int(ctx.uniform(470, 540))} g",
        "Morphologie : pôle céphalique, face (profil, lèvres), rachis, cœur (quatre cavités,",
        "croisement des gros vaisseaux), abdomen, reins, vessie et quatre membres étudiés,",
        "sans anomalie décelable.",
        "Placenta antérieur, non recouvrant. Cordon à trois vaisseaux. Liquide amniotique normal.",
        f"Col (voie endovaginale) : {int(ctx.uniform(34, 42))} mm, orifice interne fermé.",
        "Dopplers des artères utérines normaux, sans incisure protodiastolique.",
        "",
        "Conclusion : échographie morphologique sans anomalie, croissance fœtale harmonieuse.",
        "Sexe fœtal non communiqué à la demande du couple.",
        "Prochaine échographie (troisième trimestre) entre 30 et 35 SA.",
    ])


def _follow_up_plan(p: _Pregnancy) -> DraftDocument:
    ctx = p.ctx
    team = ctx.team
    days = ctx.rng.randint(0, 3)
    return ctx.doc(code.PLAN_PERSONNALISE_SOINS, "Plan personnalisé de suivi de grossesse",
                   ctx.at(p.day(24, days), 11), "sage_femme", [
        f"Plan établi avec la patiente à {p.sa(p.day(24, days))}"
        f" (terme prévu le {fr_date(p.term)}).",
        "Niveau de suivi : grossesse à bas risque (suivi A, recommandations HAS).",
        f"Maternité d'accouchement : {team['gyneco'].place}.",
        "",
        "Intervenants :",
        f"  - suivi mensuel : {team['sage_femme'].name}, sage-femme ;",
        f"  - avis obstétrical si besoin : {team['gyneco'].name} ;",
        f"  - échographies : {team['echographiste'].name}.",
        "",
        "Calendrier prévisionnel :",
        "  - 6e mois : NFS, hyperglycémie provoquée orale (24-28 SA), toxoplasmose ;",
        f"  - 7e mois (vers le {fr_date(p.day(29, 0))}) : consultation, vitamine D ;",
        f"  - échographie du 3e trimestre entre le {fr_date(p.day(30, 0))} et le"
        f" {fr_date(p.day(35, 0))} ;",
        f"  - 8e mois (vers le {fr_date(p.day(33, 0))}) : consultation, consultation"
        " d'anesthésie ;",
        "  - 9e mois : consultation, prélèvement vaginal (streptocoque B) entre 34 et 38 SA ;",
        "  - sérologie toxoplasmose chaque mois jusqu'à l'accouchement.",
        "Préparation à la naissance et à la parentalité : 7 séances à partir du 6e mois.",
        "Après la naissance : entretien postnatal précoce et visites de la sage-femme.",
        "",
        "Déjà réalisé : dépistage combiné puis DPNI (négatif), vaccination contre la coqueluche.",
        "En cas de saignement, de contractions, de perte de liquide, de fièvre ou de",
        "diminution des mouvements du bébé : urgences de la maternité, 24 h/24.",
    ])


class _SixthMonth:
    """The sixth-month results the prescription that follows relies on."""

    def __init__(self, ctx: StoryContext) -> None:
        self.hemoglobin = ctx.uniform(10.1, 10.8, 1)
        self.mcv = ctx.uniform(76, 79.5, 1)
        self.ferritin = int(ctx.uniform(8, 13))


def _sixth_month_labs(p: _Pregnancy, results: _SixthMonth) -> DraftDocument:
    ctx = p.ctx
    return ctx.doc(code.BIOLOGIE, "Bilan biologique du sixième mois de grossesse",
                   ctx.at(p.day(25, 0), 16), "biologiste", [
        f"Prélèvement du {fr_date(p.day(25, 0))} (terme {p.sa(p.day(25, 0))}), à jeun."
        f" Prescripteur : {ctx.team['sage_femme'].name}.",
        "",
        "HYPERGLYCÉMIE PROVOQUÉE PAR VOIE ORALE (75 g de glucose)",
        lab("Glycémie à jeun (T0)", ctx.uniform(0.74, 0.86, 2), 2, "g/L", None, 0.92),
        lab("Glycémie à 1 heure", ctx.uniform(1.25, 1.65, 2), 2, "g/L", None, 1.80),
        lab("Glycémie à 2 heures", ctx.uniform(1.05, 1.40, 2), 2, "g/L", None, 1.53),
        "HÉMATOLOGIE",
        lab("Hémoglobine", results.hemoglobin, 1, "g/dL", 11.0, 15.0),
        lab("Volume globulaire moyen", results.mcv, 1, "fL", 80, 100),
        lab("Plaquettes", int(ctx.uniform(180, 300)), 0, "G/L", 150, 400),
        "BIOCHIMIE",
        lab("Ferritine", results.ferritin, 0, "µg/L", 15, 150),
        "SÉROLOGIE",
        lab_text("Toxoplasmose IgG / IgM", "négatives", "absence de séroconversion"),
        "",
        "Conclusion : pas de diabète gestationnel (valeurs sous les seuils). Anémie",
        "microcytaire avec ferritine basse, en faveur d'une carence martiale.",
        "Toxoplasmose : patiente toujours non immunisée.",
    ])


def _iron_prescription(p: _Pregnancy, results: _SixthMonth) -> DraftDocument:
    ctx = p.ctx
    return ctx.doc(code.PRESCRIPTION_MEDICAMENTS, "Ordonnance du sixième mois de grossesse",
                   ctx.at(p.day(25, 3), 10), "sage_femme", [
        "ORDONNANCE",
        f"Le {fr_long_date(p.day(25, 3))}, terme {p.sa(p.day(25, 3))}.",
        f"Hémoglobine {fr_num(results.hemoglobin, 1)} g/dL, ferritine {results.ferritin} µg/L.",
        "",
        "1. Sulfate ferreux 80 mg (fer), comprimé",
        "   1 comprimé par jour, le matin, à distance des repas, avec un verre d'eau",
        "   (pas de thé ni de café dans l'heure qui suit). Durée : 3 mois.",
        "2. Cholécalciférol (vitamine D3) 100 000 UI, solution buvable en ampoule",
        f"   1 ampoule en une seule prise au début du 7e mois (vers le {fr_date(p.day(28, 0))}).",
        "3. Paracétamol 500 mg, gélule",
        "   1 à 2 gélules en cas de douleur, 6 heures au moins entre deux prises,",
        "   sans dépasser 3 g par jour.",
        "",
        "Contrôle de la NFS et de la ferritine dans 6 semaines.",
        "Le fer peut colorer les selles en noir : c'est sans gravité.",
    ])
