"""Jeanne Lefèvre's file: a fall, the geriatric assessment, and the care set up to keep her home.

The story: a fall sends her to the emergency room; her GP sends her to the geriatric day
hospital and orders physiotherapy and nursing; the APA assessment rates her GIR 4; the geriatric
meeting stops two risky drugs; the personalised plan, equipment, pill organisers and nursing
follow-up come after.
"""

from __future__ import annotations

from datetime import date, timedelta

from mock_server.seed import document_codes as code
from mock_server.seed.document_layout import (
    DraftDocument,
    StoryContext,
    fr_date,
    fr_num,
    fr_time,
    lab,
    workday,
)

_DAUGHTERS = ("Sylvie Deschamps", "Martine Vasseur", "Catherine Leroy")
_WEEKDAYS = ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim.")
_AGE = 82


class _Autonomy:
    """Facts shared by Jeanne's documents."""

    def __init__(self, ctx: StoryContext) -> None:
        self.ctx = ctx
        self.daughter = ctx.choice(_DAUGHTERS)
        self.weight_before = ctx.uniform(56, 58.5, 1)
        self.weight = round(self.weight_before - ctx.uniform(2.5, 3.5, 1), 1)
        self.creatinine = int(ctx.uniform(82, 95))
        self.egfr = int(ctx.uniform(48, 56))
        self.tug = int(ctx.uniform(22, 28))
        self.mmse = ctx.rng.randint(23, 25)
        self.fall = ctx.day(ctx.rng.randint(162, 168))
        self.referral = workday(self.fall + timedelta(days=ctx.rng.randint(6, 9)))
        self.physio = workday(self.referral + timedelta(days=ctx.rng.randint(5, 8)))
        self.apa_visit = workday(self.fall + timedelta(days=ctx.rng.randint(24, 28)))
        self.meeting = workday(self.fall + timedelta(days=ctx.rng.randint(44, 48)))
        self.renewal = workday(ctx.day(ctx.rng.randint(60, 64)))

    @property
    def cockcroft(self) -> float:
        """Creatinine clearance (Cockcroft-Gault, woman), the apixaban dosing reference."""
        return (140 - _AGE) * self.weight * 1.04 / self.creatinine


def autonomy_documents(ctx: StoryContext) -> list[DraftDocument]:
    """Jeanne Lefèvre, 82, losing autonomy, living alone with home help."""
    j = _Autonomy(ctx)
    return [
        _emergency(j),
        _referral(j),
        _care_order(j),
        _physio_assessment(j),
        _apa_assessment(j),
        _geriatric_meeting(j),
        _health_plan(j),
        _equipment(j),
        _renewal(j),
        _pill_organisers(j),
        _labs(j),
        _summary(j),
        _administration(j),
        _nursing_follow_up(j),
    ]


def _emergency(j: _Autonomy) -> DraftDocument:
    ctx = j.ctx
    arrival = ctx.at(j.fall, ctx.rng.randint(8, 11))
    leaving = arrival + timedelta(hours=ctx.rng.randint(5, 7))
    return ctx.doc(code.URGENCES, "Compte rendu de passage aux urgences",
                   leaving, "urgentiste", [
        f"Arrivée le {fr_date(arrival)} à {fr_time(arrival)}, transportée par les"
        " sapeurs-pompiers, alertés par sa fille.",
        "Motif : chute à domicile la nuit, station au sol d'environ deux heures, douleur",
        "de la hanche gauche. Pas de choc crânien, pas de perte de connaissance.",
        "Antécédents : fibrillation atriale anticoagulée, hypertension artérielle, ostéoporose",
        "(fracture du poignet droit en 2019), gonarthrose, cataracte opérée des deux yeux.",
        "Chute précédente il y a 4 mois, sans consultation.",
        "Traitement : apixaban 2,5 mg x 2, bisoprolol 2,5 mg, amlodipine 5 mg,",
        "zopiclone 3,75 mg au coucher, cholécalciférol.",
        "Allergie : pénicilline (urticaire). Vit seule, veuve, fille à proximité.",
        "",
        f"Examen : GCS 15, TA {ctx.rng.randint(138, 152)}/{ctx.rng.randint(76, 86)} mmHg,"
        f" FC {ctx.rng.randint(78, 92)}/min irrégulière, SpO2 96 %, T 36,8 °C.",
        "Hématome de la face externe de la cuisse gauche. Hanche mobilisable, douloureuse,",
        "sans raccourcissement ni rotation externe. Appui possible avec aide.",
        "Radiographies du bassin et de la hanche gauche : pas de fracture.",
        "ECG : fibrillation atriale à 84/min, pas de trouble de la repolarisation.",
        f"Biologie : CPK {ctx.rng.randint(380, 720)} UI/L, ionogramme et fonction rénale"
        " stables.",
        "",
        "Diagnostic : contusion de la hanche gauche après chute mécanique, sans fracture.",
        "Traitement reçu : paracétamol 1 g, hydratation orale.",
        f"Sortie à {fr_time(leaving)}, retour au domicile accompagnée de sa fille.",
        "Recommandations : paracétamol si douleur ; revoir le médecin traitant sous 8 jours ;",
        "évaluation gériatrique (deuxième chute en 6 mois) ; réévaluer la zopiclone ;",
        "téléassistance conseillée.",
    ])


def _referral(j: _Autonomy) -> DraftDocument:
    ctx = j.ctx
    team = ctx.team
    return ctx.doc(code.NOTE_DE_TRANSFERT, "Lettre d'adressage en hôpital de jour gériatrique",
                   ctx.at(j.referral, 18), "generaliste", [
        f"À l'attention {team['geriatre'].after_de}, hôpital de jour de gériatrie,",
        f"{team['geriatre'].place}.",
        "",
        "Chère consœur, cher confrère,",
        f"Je vous adresse Mme Jeanne Lefèvre, {_AGE} ans, pour une évaluation gériatrique",
        "standardisée en hôpital de jour.",
        f"Motif : deux chutes en six mois, la dernière le {fr_date(j.fall)} avec passage aux",
        "urgences (contusion de hanche, sans fracture) ; marche ralentie ; plainte mnésique",
        "rapportée par sa fille ; amaigrissement de 3 kg en six mois.",
        "Antécédents : fibrillation atriale, hypertension artérielle, ostéoporose fracturaire,",
        "gonarthrose, cataracte opérée. Allergie : pénicilline.",
        "Traitement : apixaban 2,5 mg x 2, bisoprolol 2,5 mg, amlodipine 5 mg,",
        "zopiclone 3,75 mg, cholécalciférol.",
        "Contexte : veuve, vit seule dans une maison avec escalier ; sa fille,",
        f"Mme {j.daughter}, passe trois fois par semaine. Demande d'APA en cours.",
        "",
        "Questions posées :",
        "  - bilan des chutes et de la marche, adaptation du domicile ;",
        "  - évaluation cognitive et nutritionnelle ;",
        "  - révision de l'ordonnance (zopiclone, hypotension orthostatique ?) ;",
        "  - avis sur la prise en charge de l'ostéoporose.",
        "J'ai prescrit de la kinésithérapie et un passage infirmier pour les médicaments.",
        "Bien confraternellement.",
    ])


def _care_order(j: _Autonomy) -> DraftDocument:
    ctx = j.ctx
    return ctx.doc(code.PRESCRIPTION_SOINS, "Prescription de kinésithérapie et de soins infirmiers",
                   ctx.at(j.referral, 18, 20), "generaliste", [
        "ORDONNANCE",
        "",
        "1. Séances de masso-kinésithérapie à domicile :",
        "   rééducation de l'équilibre et de la marche, prévention des chutes,",
        "   apprentissage du relever du sol.",
        "   20 séances, à raison de 2 séances par semaine.",
        "",
        "2. Soins infirmiers à domicile, 7 jours sur 7, pendant 3 mois :",
        "   - aide à la prise des médicaments matin et soir ;",
        "   - surveillance de la tension artérielle (couchée et debout) et du pouls ;",
        "   - pesée hebdomadaire ; surveillance de l'état cutané et de l'hydratation.",
        "",
        f"Motif : chutes répétées (dernière le {fr_date(j.fall)}), patiente vivant seule.",
        "Soins à domicile justifiés par l'impossibilité de se déplacer seule.",
    ])


def _physio_assessment(j: _Autonomy) -> DraftDocument:
    ctx = j.ctx
    return ctx.doc(code.BILAN_FONCTIONNEL,
                   "Bilan-diagnostic kinésithérapique — équilibre et prévention des chutes",
                   ctx.at(j.physio, 10), "kine", [
        f"Prescription du {fr_date(j.referral)} ({ctx.team['generaliste'].name}) :"
        " 20 séances à domicile.",
        "Contexte : deux chutes en six mois, station au sol prolongée ; peur de tomber ;",
        "marche avec une canne à l'intérieur, ne sort plus seule.",
        "",
        "Bilan :",
        "  Douleur : EVA 3/10 à la hanche gauche à la marche.",
        "  Amplitudes : hanches et genoux fonctionnels, flessum du genou droit de 5°.",
        "  Force musculaire : quadriceps 4/5, moyens fessiers 3+/5.",
        f"  Appui unipodal : {ctx.rng.randint(2, 4)} s à droite, impossible à gauche.",
        f"  Timed Up and Go : {j.tug} s (risque de chute élevé au-delà de 20 s).",
        f"  Test de Tinetti : {ctx.rng.randint(15, 19)}/28 (risque élevé en dessous de 20).",
        f"  Vitesse de marche : {fr_num(ctx.uniform(0.5, 0.7, 2), 2)} m/s.",
        "  Relever du sol : impossible sans aide.",
        "",
        "Diagnostic kinésithérapique : troubles de l'équilibre et de la marche avec peur",
        "de chuter et déconditionnement ; risque de chute élevé.",
        "Objectifs : sécuriser les déplacements à l'intérieur, savoir se relever du sol,",
        "reprendre des sorties accompagnées.",
        "Plan : 2 séances par semaine à domicile (renforcement des membres inférieurs,",
        "équilibre, marche avec obstacles, escalier, relever du sol).",
        "Conseils : retirer les tapis, éclairage nocturne, chaussures fermées.",
        "Réévaluation à la 10e séance.",
    ])


def _apa_assessment(j: _Autonomy) -> DraftDocument:
    ctx = j.ctx
    grid = (
        ("Cohérence", "A"), ("Orientation", "B"), ("Toilette", "B"), ("Habillage", "B"),
        ("Alimentation", "A"), ("Élimination", "A"), ("Transferts", "B"),
        ("Déplacements à l'intérieur", "B"), ("Déplacements à l'extérieur", "C"),
        ("Communication à distance", "A"),
    )
    return ctx.doc(code.BILAN_PERTE_AUTONOMIE,
                   "Évaluation de la perte d'autonomie (grille AGGIR) — demande d'APA",
                   ctx.at(j.apa_visit, 15), "evaluateur", [
        "Demande d'allocation personnalisée d'autonomie (APA) à domicile.",
        f"Visite à domicile le {fr_date(j.apa_visit)}, en présence de sa fille,"
        f" Mme {j.daughter}.",
        "Cadre de vie : maison de ville sur deux niveaux, chambre et salle de bains à",
        "l'étage, baignoire, pas de barre d'appui. Vit seule depuis son veuvage.",
        "",
        "Grille AGGIR — variables discriminantes :",
        *(f"  {label:<30}{rating}" for label, rating in grid),
        "Variables illustratives : gestion B, cuisine B, ménage C, transports C, achats C,",
        "suivi du traitement B, activités de temps libre B.",
        "",
        "Résultat : GIR 4.",
        "Besoins repérés : aide à la toilette et à l'habillage, entretien du logement,",
        "courses, préparation des repas, sécurité (chutes).",
        "Plan d'aide proposé :",
        "  - aide à domicile 25 heures par mois ;",
        "  - portage de repas 5 jours sur 7 ;",
        "  - téléassistance avec détecteur de chute ;",
        "  - visite d'un ergothérapeute pour l'aménagement de la salle de bains ;",
        "  - information de l'aidante sur l'accueil de jour et les solutions de répit.",
        "Proposition soumise à la commission ; participation calculée selon les ressources.",
    ])


def _geriatric_meeting(j: _Autonomy) -> DraftDocument:
    ctx = j.ctx
    team = ctx.team
    day_hospital = workday(j.meeting - timedelta(days=7))
    return ctx.doc(code.RCP, "Réunion de concertation pluridisciplinaire gériatrique",
                   ctx.at(j.meeting, 14), "geriatre", [
        f"Réunion du {fr_date(j.meeting)}, après l'évaluation en hôpital de jour du"
        f" {fr_date(day_hospital)}.",
        f"Participants : {team['geriatre'].name} (gériatre), {team['generaliste'].name}",
        f"(médecin traitant, par téléphone), {team['kine'].name} (kinésithérapeute),",
        "infirmière de l'hôpital de jour, ergothérapeute, diététicienne, assistante sociale.",
        "",
        "Synthèse de l'évaluation gériatrique standardisée :",
        "  - autonomie : ADL 4,5/6, IADL 3/8 ; GIR 4 (évaluation APA) ;",
        f"  - cognition : MMSE {j.mmse}/30, test de l'horloge perturbé ;",
        "    troubles neurocognitifs légers probables ;",
        "  - thymie : GDS 4/15, pas d'argument pour une dépression ;",
        f"  - nutrition : MNA {ctx.rng.randint(18, 21)}/30 (risque de dénutrition),"
        " perte de 3 kg en six mois ;",
        f"  - chutes : Timed Up and Go {j.tug} s, hypotension orthostatique (-24 mmHg).",
        "",
        "Décisions :",
        "  1. arrêt progressif de la zopiclone sur 4 semaines ; arrêt de l'amlodipine ;",
        "  2. poursuite de la kinésithérapie ; téléassistance ; déambulateur pour l'extérieur ;",
        "  3. ergothérapie au domicile : douche de plain-pied, barres d'appui, rehausse WC ;",
        "  4. compléments nutritionnels oraux, 2 par jour ; pesée hebdomadaire ;",
        "  5. dosage de la vitamine D ; traitement de l'ostéoporose à rediscuter ;",
        "  6. consultation mémoire dans 6 mois ; soutien de l'aidante (plateforme de répit).",
        "Le médecin traitant coordonne et formalise le plan personnalisé de santé.",
    ])


def _health_plan(j: _Autonomy) -> DraftDocument:
    ctx = j.ctx
    team = ctx.team
    written = workday(j.meeting + timedelta(days=ctx.rng.randint(8, 12)))
    review = written + timedelta(days=182)
    return ctx.doc(code.PLAN_PERSONNALISE_SOINS, "Plan personnalisé de santé (PPS)",
                   ctx.at(written, 17), "generaliste", [
        f"Élaboré avec Mme Lefèvre et sa fille, Mme {j.daughter}, après la réunion",
        f"de concertation gériatrique du {fr_date(j.meeting)}. Coordination : médecin traitant.",
        "",
        "1. Chutes — objectif : se déplacer en sécurité et savoir se relever.",
        f"   Kinésithérapie 2 fois par semaine ({team['kine'].name}) ; téléassistance ;",
        "   déambulateur ; aménagement de la salle de bains. Réévaluation à 3 mois.",
        "2. Médicaments — objectif : des prises régulières et sans erreur.",
        f"   Piluliers préparés par la pharmacie ({team['pharmacien'].name}) ; passage",
        f"   infirmier matin et soir ({team['infirmier'].name}) ; sevrage de la zopiclone.",
        "3. Nutrition — objectif : reprendre 2 kg en 3 mois.",
        "   Portage de repas, compléments oraux 2 par jour, pesée hebdomadaire.",
        "4. Mémoire — consultation mémoire dans 6 mois ; aide aux démarches administratives.",
        "5. Aidante — accueil de jour un jour par semaine proposé ; plateforme de répit.",
        "",
        "Aides en place : APA (GIR 4), aide à domicile 25 heures par mois.",
        f"Personne de confiance : Mme {j.daughter}, sa fille.",
        f"Prochaine révision du plan : {fr_date(review)}.",
    ])


def _equipment(j: _Autonomy) -> DraftDocument:
    ctx = j.ctx
    delivered = workday(j.meeting + timedelta(days=ctx.rng.randint(13, 17)))
    return ctx.doc(code.DISPENSATION_AUTRE,
                   "Délivrance de matériel médical pour le maintien à domicile",
                   ctx.at(delivered, 15), "pharmacien", [
        f"Prescription du {fr_date(j.meeting)} ({ctx.team['geriatre'].name}, gériatre).",
        f"Livraison et installation au domicile le {fr_date(delivered)}.",
        "",
        "Matériel délivré :",
        "  - déambulateur à quatre roues avec siège et freins (achat, pris en charge) ;",
        "  - rehausse de WC de 10 cm avec accoudoirs (pris en charge) ;",
        "  - siège de douche pivotant et deux barres d'appui (non remboursés, devis accepté).",
        "",
        "Réglages : hauteur des poignées du déambulateur au niveau des poignets,",
        "essai de marche et des freins dans le logement et devant la maison.",
        "Démonstration à la patiente et à sa fille ; notice et garantie remises.",
        "Conseil : libérer les passages (tapis, fils électriques), éclairer le couloir la nuit.",
    ])


def _renewal(j: _Autonomy) -> DraftDocument:
    ctx = j.ctx
    return ctx.doc(code.PRESCRIPTION_MEDICAMENTS, "Ordonnance de renouvellement du traitement",
                   ctx.at(j.renewal, 17), "generaliste", [
        "ORDONNANCE — quantité suffisante pour 3 mois",
        f"Poids {fr_num(j.weight, 1)} kg ; créatinine {j.creatinine} µmol/L. Apixaban à dose"
        " réduite",
        "(âge de plus de 80 ans et poids inférieur à 60 kg).",
        "",
        "1. Apixaban 2,5 mg : 1 comprimé matin et soir.",
        "2. Bisoprolol 2,5 mg : 1 comprimé le matin.",
        "3. Cholécalciférol 50 000 UI, ampoule buvable : 1 ampoule par mois.",
        "4. Paracétamol 500 mg : 2 gélules en cas de douleur, jusqu'à 3 fois par jour.",
        "5. Macrogol 4000 : 1 sachet le matin en cas de constipation.",
        "6. Compléments nutritionnels oraux hyperprotéinés et hypercaloriques, 200 mL :",
        "   2 par jour, entre les repas, saveurs variées.",
        "",
        "Préparation des doses à administrer par la pharmacie ; administration par le",
        "cabinet infirmier, au domicile.",
        f"Zopiclone et amlodipine arrêtées depuis le {fr_date(j.meeting)}.",
    ])


def _pill_organisers(j: _Autonomy) -> DraftDocument:
    ctx = j.ctx
    day = j.renewal + timedelta(days=1)
    return ctx.doc(code.DISPENSATION_MEDICAMENTEUSE,
                   "Dispensation avec préparation des doses à administrer",
                   ctx.at(day, 11), "pharmacien", [
        f"Ordonnance du {fr_date(j.renewal)} ({ctx.team['generaliste'].name}), pour 3 mois.",
        "Préparation des doses à administrer en piluliers hebdomadaires scellés,",
        f"remis chaque semaine au cabinet infirmier ({ctx.team['infirmier'].name}).",
        "",
        "Produits délivrés (posologie) :",
        "  Apixaban 2,5 mg, boîte de 60 .................. 3 boîtes   matin et soir",
        "  Bisoprolol 2,5 mg, boîte de 90 ................ 1 boîte    le matin",
        "  Cholécalciférol 50 000 UI, ampoule ............ 3 ampoules 1 par mois",
        "  Paracétamol 500 mg, boîte de 16 ............... 2 boîtes   si douleur",
        "  Macrogol 4000, boîte de 20 sachets ............ 1 boîte    si constipation",
        "  Compléments nutritionnels oraux 200 mL ........ 60 unités  2 par jour (1 mois)",
        "",
        "Contrôles : pas d'interaction ; apixaban 2,5 mg deux fois par jour conforme à l'âge",
        "et au poids ; médicaments arrêtés (zopiclone, amlodipine) retirés des piluliers.",
        "Compléments nutritionnels livrés au domicile chaque mois.",
    ])


def _labs(j: _Autonomy) -> DraftDocument:
    ctx = j.ctx
    day = workday(ctx.day(ctx.rng.randint(43, 47)))
    sampled = ctx.at(day, 7, 30)
    return ctx.doc(code.BIOLOGIE, "Bilan biologique de surveillance",
                   ctx.at(day, 16), "biologiste", [
        f"Prélèvement infirmier au domicile le {fr_date(sampled)} à {fr_time(sampled)}.",
        f"Prescripteur : {ctx.team['generaliste'].name}.",
        "",
        "HÉMATOLOGIE",
        lab("Hémoglobine", ctx.uniform(11.8, 12.6, 1), 1, "g/dL", 12.0, 16.0),
        lab("Volume globulaire moyen", ctx.uniform(89, 95, 1), 1, "fL", 80, 100),
        lab("Plaquettes", int(ctx.uniform(190, 260)), 0, "G/L", 150, 400),
        "BIOCHIMIE",
        lab("Sodium", int(ctx.uniform(137, 141)), 0, "mmol/L", 136, 145),
        lab("Potassium", ctx.uniform(4.0, 4.6, 1), 1, "mmol/L", 3.5, 5.0),
        lab("Créatinine", j.creatinine, 0, "µmol/L", 45, 90),
        lab("DFG estimé (CKD-EPI)", j.egfr, 0, "mL/min/1,73m²", 60, None),
        lab("Clairance (Cockcroft-Gault)", j.cockcroft, 0, "mL/min", 60, None),
        lab("Albumine", ctx.uniform(32, 35, 1), 1, "g/L", 35, 50),
        lab("CRP", ctx.uniform(1, 4, 1), 1, "mg/L", None, 5),
        lab("TSH", ctx.uniform(1.2, 2.5, 2), 2, "mUI/L", 0.40, 4.00),
        lab("25-OH vitamine D", int(ctx.uniform(17, 25)), 0, "ng/mL", 30, 100),
        "",
        f"Antériorité : créatinine stable depuis le passage aux urgences du {fr_date(j.fall)}.",
        "Commentaire : insuffisance en vitamine D ; hypoalbuminémie modérée en faveur",
        "d'une dénutrition ; fonction rénale à prendre en compte pour les posologies",
        "(clairance de Cockcroft-Gault).",
    ])


def _summary(j: _Autonomy) -> DraftDocument:
    ctx = j.ctx
    team = ctx.team
    return ctx.doc(code.SYNTHESE_MEDICALE, "Volet de synthèse médicale",
                   ctx.at(workday(ctx.day(ctx.rng.randint(18, 22))), 19), "generaliste", [
        f"Médecin traitant : {team['generaliste'].name}. Veuve, vit seule à domicile,"
        " GIR 4 (APA).",
        f"Personne de confiance : Mme {j.daughter} (fille). Directives anticipées rédigées,",
        "conservées au domicile.",
        "",
        "Antécédents médicaux :",
        "  - fibrillation atriale anticoagulée ; hypertension artérielle ;",
        "  - ostéoporose (fracture du poignet droit en 2019) ; gonarthrose ;",
        f"  - troubles neurocognitifs légers probables (MMSE {j.mmse}/30) ;",
        f"  - chutes répétées, dernière le {fr_date(j.fall)} ; risque de dénutrition.",
        "Antécédents chirurgicaux : cataracte opérée des deux yeux ; cholécystectomie.",
        "Allergie : pénicilline (urticaire).",
        "",
        "Traitement en cours : apixaban 2,5 mg x 2, bisoprolol 2,5 mg, cholécalciférol",
        "50 000 UI par mois, compléments nutritionnels oraux ; paracétamol et macrogol",
        f"si besoin. Arrêtés le {fr_date(j.meeting)} : zopiclone, amlodipine.",
        "",
        f"Derniers éléments : poids {fr_num(j.weight, 1)} kg ; DFG {j.egfr} mL/min/1,73m² ;"
        " vitamine D basse.",
        "Aides : passage infirmier matin et soir, kinésithérapie 2 fois par semaine, aide à",
        "domicile 25 heures par mois, portage de repas, téléassistance.",
        "Points de vigilance : chutes, hydratation, observance, épuisement de l'aidante.",
        f"Suivi : {team['geriatre'].name} (consultation mémoire dans 6 mois).",
    ])


def _administration(j: _Autonomy) -> DraftDocument:
    ctx = j.ctx
    last = ctx.day(ctx.rng.randint(9, 12))
    first = last - timedelta(days=6)
    late_day = ctx.rng.randint(0, 6)
    rows = []
    for offset in range(7):
        day: date = first + timedelta(days=offset)
        evening = "apixaban : donné"
        if offset == late_day:
            evening = "apixaban : donné à 20h40 (absente à 19h)"
        label = f"{_WEEKDAYS[day.weekday()]} {fr_date(day)[:5]}"
        rows.append(f"  {label:<12} {'apixaban, bisoprolol : donnés':<32} {evening}")
    return ctx.doc(code.ADMINISTRATION_MEDICAMENTS,
                   "Fiche d'administration des médicaments à domicile",
                   ctx.at(last, 20), "infirmier", [
        f"Semaine du {fr_date(first)} au {fr_date(last)}.",
        f"Ordonnance du {fr_date(j.renewal)} ({ctx.team['generaliste'].name}) ; piluliers"
        " préparés par la pharmacie.",
        "Passages : matin vers 8h, soir vers 19h.",
        "",
        f"  {'Jour':<12} {'Matin':<32} Soir",
        *rows,
        f"Cholécalciférol 50 000 UI : ampoule mensuelle prise le {fr_date(first)} au matin.",
        "Compléments nutritionnels : 2 par jour, pris en totalité 6 jours sur 7.",
        "",
        "Observations : bonne tolérance, pas de saignement, pas de chute cette semaine.",
    ])


def _nursing_follow_up(j: _Autonomy) -> DraftDocument:
    ctx = j.ctx
    end = ctx.day(ctx.rng.randint(4, 6))
    start = end - timedelta(days=14)
    weight = j.weight + ctx.uniform(0.4, 1.0, 1)
    return ctx.doc(code.SUIVI_AUXILIAIRE_MEDICAL,
                   "Fiche de suivi des soins infirmiers à domicile",
                   ctx.at(end, 19), "infirmier", [
        f"Période du {fr_date(start)} au {fr_date(end)} ; passages matin et soir.",
        "Soins : aide à la prise des médicaments, surveillance clinique.",
        "",
        "Surveillance :",
        f"  Tension artérielle assise {ctx.rng.randint(128, 138)}/{ctx.rng.randint(70, 78)}"
        f" mmHg, debout à 3 min {ctx.rng.randint(120, 127)}/{ctx.rng.randint(66, 72)} mmHg :",
        "  plus d'hypotension orthostatique depuis l'arrêt de l'amlodipine.",
        f"  Fréquence cardiaque : {ctx.rng.randint(70, 80)}/min.",
        f"  Poids : {fr_num(weight, 1)} kg (en légère reprise).",
        "  Douleur : EVA 1 à 2/10, hanche gauche, en fin de journée.",
        "  Peau : pas de rougeur aux points d'appui ; hématome de la cuisse résorbé.",
        "  Alimentation : compléments pris deux fois par jour, appétit correct.",
        "  Sommeil : endormissement plus tardif depuis l'arrêt de la zopiclone, sans confusion.",
        "  Chutes : aucune ; téléassistance portée en permanence.",
        "  Observance : toutes les prises effectuées.",
        "",
        "Transmissions : médecin traitant informé par messagerie sécurisée ; fille informée.",
        "Prochaine évaluation dans 15 jours.",
    ])
