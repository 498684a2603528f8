"""Karim Benali's type 2 diabetes file: ALD protocol, labs, specialist visits, screening.

The story: HbA1c above target under metformin alone, the diabetologist adds dapagliflozin, the
next HbA1c is back on target; along the way an eye exam, foot care (risk grade 2), a flu shot and
a screening colonoscopy whose polyp the pathologist reads as a low-grade adenoma.
"""

from __future__ import annotations

from datetime import date, timedelta

from mock_server.seed import document_codes as code
from mock_server.seed.document_layout import (
    DraftDocument,
    StoryContext,
    batch_number,
    flu_season,
    flu_vaccination_day,
    fr_date,
    fr_num,
    fr_time,
    lab,
    workday,
)

_HEIGHT_CM = 176


def _ifcc(hba1c_percent: float) -> float:
    """HbA1c in mmol/mol (IFCC) from the NGSP percentage."""
    return (hba1c_percent - 2.15) * 10.929


class _Diabetes:
    """Facts shared by Karim's documents (values, dates of the story's steps)."""

    def __init__(self, ctx: StoryContext) -> None:
        self.ctx = ctx
        self.diagnosed = ctx.today.year - ctx.rng.randint(8, 11)
        self.weight = ctx.uniform(88, 96, 1)
        self.hba1c_before = ctx.uniform(7.7, 8.2, 1)
        self.hba1c_after = ctx.uniform(6.7, 7.0, 1)
        self.egfr = int(ctx.uniform(84, 96))
        self.acr = ctx.uniform(1.1, 2.4, 1)
        self.ldl = ctx.uniform(0.92, 1.08, 2)
        self.polyp_mm = ctx.rng.randint(6, 9)
        self.first_labs = workday(ctx.day(ctx.rng.randint(188, 196)))
        self.specialist_visit = workday(self.first_labs + timedelta(days=ctx.rng.randint(10, 14)))
        self.prescription = workday(self.specialist_visit + timedelta(days=ctx.rng.randint(3, 6)))
        self.foot_order = workday(ctx.day(ctx.rng.randint(138, 144)))
        self.colonoscopy = workday(ctx.day(ctx.rng.randint(98, 104)))
        self.flu_shot = workday(flu_vaccination_day(ctx.rng, ctx.day(20)))
        self.last_labs = workday(ctx.day(ctx.rng.randint(12, 16)))

    @property
    def bmi(self) -> float:
        return self.weight / (_HEIGHT_CM / 100) ** 2


def diabetes_documents(ctx: StoryContext) -> list[DraftDocument]:
    """Karim Benali, 58, type 2 diabetes under oral treatment."""
    k = _Diabetes(ctx)
    return [
        _ald_protocol(k),
        _labs(k, k.first_labs, k.hba1c_before, first=True),
        _diabetologist(k),
        _prescription(k),
        _dispensation(k),
        _eye_exam(k),
        _foot_care_order(k),
        _podiatry(k),
        _colonoscopy(k),
        _pathology(k),
        _flu_vaccine(k),
        _labs(k, k.last_labs, k.hba1c_after, first=False),
        _summary(k),
    ]


def _ald_protocol(k: _Diabetes) -> DraftDocument:
    ctx = k.ctx
    written = workday(ctx.day(ctx.rng.randint(430, 440)))
    granted = workday(written + timedelta(days=ctx.rng.randint(10, 18)))
    return ctx.doc(code.PROTOCOLE_ALD, "Protocole de soins ALD 8 — diabète de type 2",
                   ctx.at(granted, 9), "generaliste", [
        "Protocole de soins au titre d'une affection de longue durée (ALD n° 8, diabète).",
        f"Établi le {fr_date(written)} par le médecin traitant ; accord du service médical",
        f"de l'Assurance Maladie le {fr_date(granted)}.",
        "",
        f"Affection : diabète de type 2 diagnostiqué en {k.diagnosed}, sans complication",
        "micro- ni macrovasculaire connue. Facteurs de risque associés : hypertension",
        "artérielle, dyslipidémie, surpoids, ancien tabagisme.",
        "",
        "Actes et prestations pris en charge au titre de l'ALD :",
        "  - consultations de médecine générale et d'endocrinologie-diabétologie ;",
        "  - examen du fond d'œil ou rétinographie tous les 2 ans ;",
        "  - électrocardiogramme annuel ;",
        "  - soins de pédicurie-podologie selon le grade de risque podologique ;",
        "  - HbA1c 2 à 4 fois par an ; glycémie, bilan lipidique, créatininémie avec DFG",
        "    estimé et rapport albuminurie/créatininurie une fois par an ;",
        "  - éducation thérapeutique du patient.",
        "Traitements : metformine, autres antidiabétiques selon l'évolution ; ramipril ;",
        "atorvastatine ; dispositifs d'autosurveillance si traitement le justifiant.",
        "Recours aux spécialistes : endocrinologue-diabétologue, ophtalmologiste, cardiologue.",
        "",
        "Le patient a reçu l'information sur le protocole et l'a signé.",
    ])


def _labs(k: _Diabetes, day: date, hba1c: float, *, first: bool) -> DraftDocument:
    """A follow-up lab report; the first of the story also has the yearly tests."""
    ctx = k.ctx
    sampled = ctx.at(day, 7, ctx.rng.randrange(30, 60, 5))
    fasting = ctx.uniform(1.35, 1.55, 2) if first else ctx.uniform(1.08, 1.24, 2)
    lines = [
        f"Prélèvement du {fr_date(sampled)} à {fr_time(sampled)}, à jeun."
        f" Prescripteur : {ctx.team['generaliste'].name}.",
        "",
        "ÉQUILIBRE GLYCÉMIQUE",
        lab("Glycémie à jeun", fasting, 2, "g/L", 0.70, 1.10),
        lab("Hémoglobine glyquée (HbA1c)", hba1c, 1, "%", 4.0, 6.0),
        lab("HbA1c (unités IFCC)", _ifcc(hba1c), 0, "mmol/mol", 20, 42),
        "FONCTION RÉNALE",
        lab("Créatinine", int(ctx.uniform(74, 92)), 0, "µmol/L", 59, 104),
        lab("DFG estimé (CKD-EPI)", k.egfr, 0, "mL/min/1,73m²", 60, None),
        lab("Potassium", ctx.uniform(4.0, 4.6, 1), 1, "mmol/L", 3.5, 5.0),
    ]
    if first:
        lines += [
            lab("Albuminurie/créatininurie", k.acr, 1, "mg/mmol", None, 3.0),
            "BILAN LIPIDIQUE",
            lab("Cholestérol total", ctx.uniform(1.70, 1.90, 2), 2, "g/L", None, 2.00),
            lab("Cholestérol HDL", ctx.uniform(0.41, 0.48, 2), 2, "g/L", 0.40, None),
            lab("Triglycérides", ctx.uniform(1.40, 1.85, 2), 2, "g/L", None, 1.50),
            lab("Cholestérol LDL calculé", k.ldl, 2, "g/L", None, 1.00),
            "BILAN HÉPATIQUE",
            lab("ALAT", int(ctx.uniform(24, 38)), 0, "UI/L", None, 45),
            "",
            "Commentaire : HbA1c au-dessus de l'objectif individualisé (≤ 7 %).",
        ]
    else:
        lines += [
            "",
            f"Antériorité : HbA1c {fr_num(k.hba1c_before, 1)} % le {fr_date(k.first_labs)}.",
            "Commentaire : nette amélioration de l'équilibre glycémique, HbA1c à l'objectif.",
        ]
    return ctx.doc(code.BIOLOGIE, "Bilan biologique de suivi du diabète",
                   ctx.at(day, 17), "biologiste", lines)


def _diabetologist(k: _Diabetes) -> DraftDocument:
    ctx = k.ctx
    return ctx.doc(code.CONSULTATION, "Consultation d'endocrinologie-diabétologie",
                   ctx.at(k.specialist_visit, 15), "diabetologue", [
        "Motif : bilan annuel du diabète de type 2, adressé par"
        f" {ctx.team['generaliste'].after_par}.",
        f"Histoire : diabète de type 2 connu depuis {k.diagnosed}, traité par metformine",
        f"1000 mg matin et soir. HbA1c à {fr_num(k.hba1c_before, 1)} % le"
        f" {fr_date(k.first_labs)}, en hausse depuis un an.",
        "Pas d'hypoglycémie, pas de polyurie. Alimentation irrégulière (horaires décalés).",
        "Antécédents : hypertension artérielle, dyslipidémie, ancien fumeur (15 paquets-années,",
        "sevré en 2012). Pas d'antécédent cardiovasculaire. Père diabétique de type 2.",
        "Traitement : metformine 1000 mg x 2, ramipril 5 mg, atorvastatine 20 mg.",
        "",
        "Examen clinique :",
        f"  Poids {fr_num(k.weight, 1)} kg, taille {_HEIGHT_CM} cm, IMC {fr_num(k.bmi, 1)} kg/m² ;"
        f" TA {int(ctx.uniform(128, 138))}/{int(ctx.uniform(78, 86))} mmHg.",
        "  Pieds : sensibilité au monofilament diminuée à la plante gauche, pouls pédieux",
        "  perçus, hallux valgus bilatéral, hyperkératose plantaire : grade de risque 2.",
        "",
        "Conclusion : diabète de type 2 insuffisamment équilibré sous metformine seule, sans",
        f"atteinte rénale (DFG {k.egfr} mL/min/1,73m², RAC {fr_num(k.acr, 1)} mg/mmol).",
        "Proposition :",
        "  - ajout de dapagliflozine 10 mg le matin (bénéfice cardio-rénal) ; hydratation et",
        "    hygiène intime expliquées ;",
        "  - poursuite de la metformine ; activité physique 150 minutes par semaine ;",
        "  - programme d'éducation thérapeutique proposé, accepté ;",
        "  - fond d'œil à programmer (dernier examen il y a plus de 2 ans) ;",
        "  - soins de pédicurie-podologie (grade 2) ;",
        "  - HbA1c dans 3 à 6 mois. Revoir dans un an.",
        "Courrier adressé au médecin traitant.",
    ])


def _prescription(k: _Diabetes) -> DraftDocument:
    ctx = k.ctx
    return ctx.doc(code.PRESCRIPTION_MEDICAMENTS, "Ordonnance bizone — traitement du diabète",
                   ctx.at(k.prescription, 18), "generaliste", [
        "ORDONNANCE BIZONE",
        "",
        "Prescriptions relatives au traitement de l'affection de longue durée (ALD 8) :",
        "1. Metformine 1000 mg, comprimé pelliculé",
        "   1 comprimé matin et soir, au milieu du repas.",
        "2. Dapagliflozine 10 mg, comprimé",
        "   1 comprimé le matin.",
        "3. Ramipril 5 mg, comprimé",
        "   1 comprimé le matin.",
        "4. Atorvastatine 20 mg, comprimé",
        "   1 comprimé le soir.",
        "Quantité suffisante pour 3 mois, à renouveler 1 fois.",
        "",
        "Prescriptions SANS RAPPORT avec l'affection de longue durée :",
        "5. Paracétamol 1 g, comprimé",
        "   1 comprimé en cas de douleur, 6 heures au moins entre deux prises,",
        "   3 comprimés par jour au maximum.",
        "",
        "En cas de vomissements, de diarrhée ou de fièvre avec déshydratation : suspendre",
        "la metformine et la dapagliflozine et contacter le cabinet.",
    ])


def _dispensation(k: _Diabetes) -> DraftDocument:
    ctx = k.ctx
    day = k.prescription + timedelta(days=1)
    return ctx.doc(code.DISPENSATION_MEDICAMENTEUSE, "Dispensation de l'ordonnance du diabète",
                   ctx.at(day, 11), "pharmacien", [
        f"Ordonnance du {fr_date(k.prescription)}, {ctx.team['generaliste'].name}"
        " (bizone, ALD 8).",
        "Délivrance 1 sur 2 (renouvellement prévu).",
        "",
        "Produits délivrés (quantité, posologie) :",
        "  Metformine 1000 mg, boîte de 90 (générique) ........ 2 boîtes  1 cp matin et soir",
        "  Dapagliflozine 10 mg, boîte de 30 ................. 3 boîtes  1 cp le matin",
        "  Ramipril 5 mg, boîte de 90 (générique) ............ 1 boîte   1 cp le matin",
        "  Atorvastatine 20 mg, boîte de 90 (générique) ...... 1 boîte   1 cp le soir",
        "  Paracétamol 1 g, boîte de 8 ....................... 1 boîte   si douleur",
        "Substitution par des médicaments génériques acceptée par le patient.",
        "",
        "Entretien au comptoir :",
        "  - nouveau médicament (dapagliflozine) : effet diurétique, boire suffisamment,",
        "    hygiène intime, signaler toute brûlure urinaire ou génitale ;",
        "  - règles des jours de maladie rappelées (déshydratation : suspendre et consulter) ;",
        "  - pas d'interaction médicamenteuse signalée par le logiciel.",
        "Dossier pharmaceutique alimenté.",
        f"Prochaine délivrance prévue vers le {fr_date(day + timedelta(days=90))}.",
    ])


def _eye_exam(k: _Diabetes) -> DraftDocument:
    ctx = k.ctx
    day = workday(k.specialist_visit + timedelta(days=ctx.rng.randint(24, 32)))
    return ctx.doc(code.ACTE_DIAGNOSTIQUE, "Examen du fond d'œil et rétinographies",
                   ctx.at(day, 10), "ophtalmologiste", [
        "Indication : surveillance d'un diabète de type 2 (dernier examen il y a 3 ans),",
        f"demandée par {ctx.team['diabetologue'].after_par}.",
        "Acuité visuelle avec correction : OD 10/10, OG 10/10 ; Parinaud 2 de près.",
        f"Tonus oculaire (air pulsé) : OD {ctx.rng.randint(13, 18)} mmHg,"
        f" OG {ctx.rng.randint(13, 18)} mmHg.",
        "Segment antérieur : cornée claire, chambre antérieure calme, cristallin transparent.",
        "",
        "Fond d'œil après dilatation (tropicamide) et rétinographies couleur 45°,",
        "deux champs par œil :",
        "  OD : papille bien colorée à bords nets, macula sans œdème, pas de",
        "       microanévrisme, pas d'hémorragie, pas d'exsudat ; vaisseaux normaux.",
        "  OG : aspect identique, sans lésion de rétinopathie diabétique.",
        "",
        "Conclusion : absence de rétinopathie diabétique aux deux yeux.",
        "Conduite à tenir : nouveau contrôle dans 2 ans si les équilibres glycémique et",
        "tensionnel restent stables, plus tôt en cas de baisse de vision.",
        "Ne pas conduire pendant quelques heures après la dilatation.",
    ])


def _foot_care_order(k: _Diabetes) -> DraftDocument:
    ctx = k.ctx
    return ctx.doc(code.PRESCRIPTION_SOINS,
                   "Prescription de soins de pédicurie-podologie (pied diabétique)",
                   ctx.at(k.foot_order, 17), "generaliste", [
        "ORDONNANCE — en rapport avec l'affection de longue durée (ALD 8)",
        "",
        "Soins de pédicurie-podologie pour un patient diabétique :",
        "  - bilan podologique initial ;",
        "  - 5 séances de soins de prévention des lésions des pieds sur un an ;",
        "  - confection d'orthèses plantaires si le bilan le justifie.",
        "Grade de risque podologique : 2 (neuropathie sensitive au monofilament et",
        "déformations : hallux valgus bilatéral, hyperkératose plantaire gauche).",
        f"Selon l'avis {ctx.team['diabetologue'].after_de}, endocrinologue-diabétologue.",
        "",
        f"Durée de la prescription : un an à compter du {fr_date(k.foot_order)}.",
        "Le patient choisit librement son pédicure-podologue conventionné.",
    ])


def _podiatry(k: _Diabetes) -> DraftDocument:
    ctx = k.ctx
    day = workday(k.foot_order + timedelta(days=ctx.rng.randint(15, 22)))
    return ctx.doc(code.SUIVI_AUXILIAIRE_MEDICAL,
                   "Bilan podologique et séance de soins de prévention",
                   ctx.at(day, 14), "podologue", [
        f"Prescription du {fr_date(k.foot_order)} ({ctx.team['generaliste'].name}),"
        " grade de risque 2.",
        "Séance 1 sur 5, avec bilan podologique.",
        "",
        "Bilan :",
        "  - monofilament 10 g : 1 site sur 3 non perçu à la plante gauche ;",
        "  - pouls pédieux et tibiaux postérieurs perçus des deux côtés ;",
        "  - hallux valgus bilatéral modéré, griffe des 2e et 3e orteils gauches ;",
        "  - hyperkératose sous les têtes des 2e et 3e métatarsiens gauches, peau sèche ;",
        "  - ongles des gros orteils épaissis ; pas de plaie, pas de mycose interdigitale ;",
        "  - chaussures de ville à l'avant-pied étroit, chaussettes à coutures épaisses.",
        "",
        "Soins réalisés : coupe et fraisage des ongles, exérèse de l'hyperkératose plantaire",
        "gauche, hydratation cutanée.",
        "Éducation : examen quotidien des pieds (avec un miroir), pas d'instrument coupant",
        "ni de coricide, eau du bain vérifiée au coude, chaussures larges et fermées.",
        "Orthèses plantaires : empreintes réalisées, remise prévue dans 3 semaines.",
        "",
        "Prochaine séance dans 2 mois environ. Compte rendu adressé au médecin traitant.",
    ])


def _colonoscopy(k: _Diabetes) -> DraftDocument:
    ctx = k.ctx
    test_day = k.colonoscopy - timedelta(days=ctx.rng.randint(40, 60))
    return ctx.doc(code.DEPISTAGE, "Coloscopie de dépistage du cancer colorectal",
                   ctx.at(k.colonoscopy, 11), "gastroenterologue", [
        "Indication : test immunologique de recherche de sang dans les selles positif",
        f"(dépistage organisé du cancer colorectal, test du {fr_date(test_day)}).",
        "Information et consentement recueillis ; consultation d'anesthésie préalable.",
        "Anesthésie générale (propofol). Préparation colique en deux prises (veille, matin).",
        "Qualité de la préparation : score de Boston 8/9 (3-3-2).",
        "",
        "Coloscope introduit jusqu'au bas-fond cæcal (orifice appendiculaire et valvule",
        "iléo-cæcale identifiés) ; iléon terminal d'aspect normal. Temps de retrait : 9 minutes.",
        "",
        "Constatations :",
        f"  - côlon sigmoïde, à 25 cm de la marge anale : polype sessile de {k.polyp_mm} mm",
        "    (classification de Paris 0-Is), réséqué en totalité à l'anse froide, récupéré",
        "    pour examen anatomopathologique ;",
        "  - diverticulose sigmoïdienne non compliquée ;",
        "  - reste de la muqueuse colique et rectale normal.",
        "Incident : aucun.",
        "",
        f"Conclusion : polype sigmoïdien de {k.polyp_mm} mm réséqué ; diverticulose.",
        "Surveillance à définir selon l'analyse anatomopathologique.",
        "Ne pas conduire ni signer d'acte important dans les 24 heures (anesthésie).",
    ])


def _pathology(k: _Diabetes) -> DraftDocument:
    ctx = k.ctx
    day = workday(k.colonoscopy + timedelta(days=ctx.rng.randint(6, 9)))
    return ctx.doc(code.ANATOMOPATHOLOGIE, "Examen anatomopathologique d'un polype colique",
                   ctx.at(day, 16), "pathologiste", [
        f"Prélèvement : polype du côlon sigmoïde, résection à l'anse froide le"
        f" {fr_date(k.colonoscopy)}",
        f"({ctx.team['gastroenterologue'].name}). Reçu fixé au formol.",
        "Renseignements cliniques : coloscopie de dépistage après test immunologique positif ;",
        f"polype sessile de {k.polyp_mm} mm.",
        "",
        f"Examen macroscopique : fragment unique de {k.polyp_mm - 1} x {k.polyp_mm - 3} x 3 mm,",
        "inclus en totalité (une cassette), coupes sériées.",
        "",
        "Examen microscopique : prolifération épithéliale glandulaire d'architecture",
        "tubuleuse, bordée de cellules aux noyaux allongés, pseudostratifiés et",
        "hyperchromatiques, sans atypie architecturale complexe. Dysplasie de bas grade.",
        "Absence de dysplasie de haut grade. Absence de carcinome. Base de résection saine.",
        "",
        f"CONCLUSION : adénome tubuleux en dysplasie de bas grade, de {k.polyp_mm} mm,",
        "réséqué en totalité. Absence de lésion maligne.",
        "Le rythme de la surveillance endoscopique relève du gastro-entérologue.",
    ])


def _flu_vaccine(k: _Diabetes) -> DraftDocument:
    ctx = k.ctx
    when = ctx.at(k.flu_shot, ctx.rng.randint(9, 18))
    return ctx.doc(code.ACTE_PREVENTIF, "Vaccination contre la grippe saisonnière",
                   when, "pharmacien", [
        f"Campagne de vaccination contre la grippe saisonnière {flu_season(k.flu_shot)}.",
        "Éligibilité : personne atteinte de diabète (prise en charge par l'Assurance Maladie).",
        "Questionnaire préalable : pas de fièvre, pas d'antécédent de réaction grave à un",
        "vaccin, pas de trouble de la coagulation ni de traitement anticoagulant.",
        "",
        "Vaccin administré : vaccin grippal inactivé, 0,5 mL.",
        f"Voie intramusculaire, deltoïde droit. Lot : {batch_number(ctx.rng)}."
        f" Heure : {fr_time(when)}.",
        "Surveillance de 15 minutes : aucune réaction.",
        "",
        "Information : douleur ou rougeur au point d'injection possibles pendant 1 à 2 jours ;",
        "la protection est acquise en 15 jours environ.",
        "Vaccination inscrite dans le carnet de vaccination et transmise au médecin traitant.",
    ])


def _summary(k: _Diabetes) -> DraftDocument:
    ctx = k.ctx
    team = ctx.team
    weight = k.weight - ctx.uniform(1.5, 3.0, 1)
    return ctx.doc(code.SYNTHESE_MEDICALE, "Volet de synthèse médicale",
                   ctx.at(workday(ctx.day(ctx.rng.randint(6, 9))), 18), "generaliste", [
        f"Médecin traitant : {team['generaliste'].name}. Marié, deux enfants, électricien.",
        "",
        "Antécédents médicaux :",
        f"  - diabète de type 2 depuis {k.diagnosed} (ALD 8), sans complication ;",
        "    grade de risque podologique 2 ;",
        "  - hypertension artérielle ; dyslipidémie ;",
        f"  - adénome colique en dysplasie de bas grade réséqué le {fr_date(k.colonoscopy)}.",
        "Antécédents chirurgicaux : appendicectomie dans l'enfance.",
        "Antécédents familiaux : père diabétique de type 2, infarctus du myocarde à 71 ans.",
        f"Facteurs de risque : ancien fumeur (15 paquets-années, sevré en 2012) ; poids"
        f" {fr_num(weight, 1)} kg.",
        "Allergies et intolérances : aucune connue.",
        "",
        "Traitement au long cours : metformine 1000 mg matin et soir, dapagliflozine 10 mg,",
        "ramipril 5 mg, atorvastatine 20 mg.",
        f"Vaccinations : grippe saisonnière le {fr_date(k.flu_shot)} ; diphtérie-tétanos-polio"
        " à jour.",
        f"Derniers résultats : HbA1c {fr_num(k.hba1c_after, 1)} % le {fr_date(k.last_labs)} ;"
        f" DFG {k.egfr} mL/min/1,73m² ;",
        f"LDL {fr_num(k.ldl, 2)} g/L ; rapport albuminurie/créatininurie {fr_num(k.acr, 1)}"
        " mg/mmol.",
        "",
        "Points de vigilance : règles des jours de maladie (suspendre metformine et",
        "dapagliflozine en cas de déshydratation) ; examen quotidien des pieds.",
        f"Suivi programmé : {team['diabetologue'].name} (annuel), fond d'œil dans 2 ans,",
        f"pédicure-podologue ({team['podologue'].name}), surveillance endoscopique selon",
        f"{team['gastroenterologue'].after_par}.",
    ])
