"""The Dubois family: Sophie (Léo's birth, screening, contraception) and Léo (asthma).

Léo's asthma attack follows the febrile episode of the shared story timeline (a viral infection
is the usual trigger); his birth in Sophie's file is the day of his birth date.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from mock_server.seed import document_codes as code
from mock_server.seed.document_layout import (
    DraftDocument,
    StoryContext,
    age_on,
    batch_number,
    flu_season,
    flu_vaccination_day,
    fr_date,
    fr_num,
    fr_time,
    in_flu_season,
    lab,
    lab_text,
    workday,
)
from mock_server.seed.measure_timeline import PARIS, fever_start
from mock_server.seed.patients import PERSONAS


def _child_birth_date() -> date:
    return next(p.birth_date for p in PERSONAS if p.key == "child")


# --- Sophie --------------------------------------------------------------------------------


class _Parent:
    """Facts shared by Sophie's documents."""

    def __init__(self, ctx: StoryContext) -> None:
        self.ctx = ctx
        born = _child_birth_date()
        self.birth = datetime.combine(born, datetime.min.time(), tzinfo=PARIS) + timedelta(
            hours=ctx.rng.randint(2, 5), minutes=ctx.rng.randint(0, 59)
        )
        self.gyneco_visit = workday(ctx.day(ctx.rng.randint(395, 410)))
        self.iud = workday(self.gyneco_visit + timedelta(days=ctx.rng.randint(26, 32)))
        self.labs = workday(ctx.day(ctx.rng.randint(66, 74)))
        self.ferritin = int(ctx.uniform(16, 24))
        self.vitamin_d = int(ctx.uniform(18, 26))
        self.teleconsultation = workday(ctx.day(ctx.rng.randint(22, 28)))


def parent_documents(ctx: StoryContext) -> list[DraftDocument]:
    """Sophie Dubois, Léo's mother and legal representative."""
    s = _Parent(ctx)
    return [
        _delivery(s),
        _cocooning_vaccine(s),
        _gynecology_visit(s),
        _hpv_screening(s),
        _iud_insertion(s),
        _pelvic_ultrasound(s),
        _fatigue_labs(s),
        _teleconsultation(s),
        _uti_prescription(s),
    ]


def _delivery(s: _Parent) -> DraftDocument:
    ctx = s.ctx
    birth = s.birth
    labour_start = birth - timedelta(hours=ctx.rng.randint(8, 11))
    rupture = birth - timedelta(hours=ctx.rng.randint(2, 4), minutes=ctx.rng.randint(0, 50))
    weight = ctx.rng.randrange(3050, 3600, 10)
    written = birth + timedelta(hours=2, minutes=30)
    return ctx.doc(code.ACCOUCHEMENT, "Compte rendu d'accouchement", written, "sage_femme", [
        "Grossesse : G1 P0, déroulement normal, suivie à la maternité. Terme : 39 SA + 4 j.",
        "Groupe sanguin O RhD positif, RAI négative. Prélèvement vaginal (streptocoque B)"
        " négatif.",
        "",
        f"Travail : début spontané le {fr_date(labour_start)} à {fr_time(labour_start)} ;"
        f" rupture spontanée des membranes à {fr_time(rupture)},",
        "liquide amniotique clair. Analgésie péridurale posée à 4 cm de dilatation.",
        f"Efforts expulsifs : {ctx.rng.randint(15, 30)} minutes.",
        "",
        f"Accouchement : voie basse spontanée le {fr_date(birth)} à {fr_time(birth)},",
        "présentation céphalique, variété occipito-iliaque gauche antérieure.",
        "Périnée : déchirure simple du premier degré, suturée au fil résorbable.",
        "Délivrance dirigée (oxytocine 5 UI IV), complète ; placenta et membranes complets.",
        f"Pertes sanguines estimées : {ctx.rng.randrange(250, 400, 50)} mL.",
        "",
        f"Nouveau-né : garçon, Léo, né vivant à {fr_time(birth)}. Apgar 9 à 1 minute,"
        " 10 à 5 minutes.",
        f"Poids {weight} g, taille {ctx.rng.choice((49, 50, 51))} cm, périmètre crânien"
        f" {fr_num(ctx.uniform(34, 35.5, 1), 1)} cm.",
        "Examen de naissance normal. Vitamine K1 administrée. Peau à peau immédiat,",
        "première tétée dans l'heure (allaitement maternel souhaité).",
        "",
        "Surveillance en salle de naissance pendant 2 heures : constantes normales, utérus",
        "bien rétracté, saignements physiologiques. Transfert en suites de couches.",
    ], act_start=labour_start, act_end=birth)


def _cocooning_vaccine(s: _Parent) -> DraftDocument:
    ctx = s.ctx
    when = ctx.at(s.birth.date() + timedelta(days=2), 11)
    return ctx.doc(code.ACTE_PREVENTIF,
                   "Vaccination contre la coqueluche en post-partum (cocooning)",
                   when, "sage_femme", [
        "Indication : protection du nouveau-né par la vaccination de son entourage",
        "(stratégie du cocooning), la mère n'ayant pas été vaccinée pendant la grossesse.",
        "Dernier rappel diphtérie-tétanos-poliomyélite à 18 ans, sans valence coqueluche.",
        f"Accouchement le {fr_date(s.birth)} ; vaccination compatible avec l'allaitement.",
        "",
        "Vaccin administré : diphtérie, tétanos, coqueluche acellulaire, poliomyélite",
        "(dTcaPolio), 0,5 mL, voie intramusculaire, deltoïde gauche.",
        f"Lot : {batch_number(ctx.rng)}. Heure : {fr_time(when)}.",
        "Surveillance de 15 minutes : pas de réaction.",
        "",
        "Le père et les grands-parents sont invités à vérifier leur propre vaccination",
        "auprès de leur médecin traitant.",
        "Vaccination inscrite dans le carnet de vaccination.",
    ])


def _gynecology_visit(s: _Parent) -> DraftDocument:
    ctx = s.ctx
    height = ctx.rng.randint(162, 170)
    weight = ctx.uniform(58, 66, 1)
    return ctx.doc(code.CONSULTATION, "Consultation de gynécologie",
                   ctx.at(s.gyneco_visit, 16), "gyneco", [
        "Motif : suivi gynécologique, dépistage du cancer du col de l'utérus, contraception.",
        f"Antécédents : G1 P1 (accouchement par voie basse le {fr_date(s.birth)}, son fils"
        " Léo).",
        "Pas d'antécédent chirurgical. Dernière cytologie cervicale normale il y a 4 ans.",
        "Contraception : pilule œstroprogestative, oublis fréquents ; souhaite une méthode",
        "de longue durée sans hormones. Tabac : non.",
        "",
        f"Examen : poids {fr_num(weight, 1)} kg, taille {height} cm,"
        f" TA {ctx.rng.randint(108, 122)}/{ctx.rng.randint(66, 76)} mmHg.",
        "  Seins souples, sans nodule ni écoulement.",
        "  Spéculum : col sain ; prélèvement cervico-utérin en milieu liquide pour test HPV.",
        "  Toucher vaginal : utérus de taille normale, annexes libres et indolores.",
        "",
        "Conclusion : examen gynécologique normal.",
        "Demande de dispositif intra-utérin au cuivre : information donnée (efficacité,",
        "règles parfois plus abondantes, risques rares d'expulsion, de perforation",
        "et d'infection). Fiche d'information remise.",
        f"Conduite : pose programmée en début de cycle, vers le {fr_date(s.iud)} ;",
        "poursuite de la pilule d'ici là ; résultat du test HPV transmis par courrier.",
    ])


def _hpv_screening(s: _Parent) -> DraftDocument:
    ctx = s.ctx
    day = workday(s.gyneco_visit + timedelta(days=ctx.rng.randint(6, 9)))
    return ctx.doc(code.DEPISTAGE, "Dépistage du cancer du col de l'utérus — test HPV",
                   ctx.at(day, 15), "biologiste", [
        "Programme national de dépistage organisé du cancer du col de l'utérus",
        "(femmes de 30 à 65 ans : test HPV tous les 5 ans).",
        f"Prélèvement cervico-utérin du {fr_date(s.gyneco_visit)} en milieu liquide,"
        f" par {ctx.team['gyneco'].after_par}.",
        "",
        "Technique : recherche des ADN de papillomavirus humains à haut risque oncogène",
        "(14 génotypes) par PCR en temps réel.",
        "",
        "Résultats :",
        lab_text("HPV à haut risque", "NON DÉTECTÉ"),
        lab_text("Contrôle cellulaire interne", "valide"),
        "",
        "Conclusion : test HPV négatif ; pas d'examen cytologique réflexe nécessaire.",
        f"Prochain dépistage recommandé dans 5 ans, en {s.gyneco_visit.year + 5}.",
    ])


def _iud_insertion(s: _Parent) -> DraftDocument:
    ctx = s.ctx
    periods = s.iud - timedelta(days=4)
    return ctx.doc(code.ACTE_THERAPEUTIQUE,
                   "Compte rendu de pose de dispositif intra-utérin",
                   ctx.at(s.iud, 17), "gyneco", [
        "Indication : contraception de longue durée non hormonale, à la demande de la",
        "patiente.",
        f"Dernières règles le {fr_date(periods)} (pose au 5e jour du cycle) ;"
        " test de grossesse urinaire négatif.",
        f"Test HPV du {fr_date(s.gyneco_visit)} négatif ; pas de signe d'infection génitale.",
        "Prémédication : ibuprofène 400 mg une heure avant la pose.",
        "",
        "Technique : spéculum, désinfection du col, pince de Pozzi ; utérus antéversé,",
        f"hystérométrie à {ctx.choice(('6,5', '7', '7,5'))} cm.",
        f"Dispositif intra-utérin au cuivre 380 mm², modèle standard, lot {batch_number(ctx.rng)},",
        "posé sans difficulté ; fils coupés à 3 cm de l'orifice externe.",
        "Tolérance : douleur modérée pendant la pose (EVA 5/10), pas de malaise ;",
        "repos de 15 minutes avant la sortie.",
        "",
        "Conseils : douleurs de type règles possibles quelques jours ; consulter en cas de",
        "fièvre, de douleurs importantes ou de saignements anormaux ; vérifier la présence",
        "des fils après les règles. Carte du dispositif remise (date limite de retrait).",
        "Contrôle par échographie pelvienne dans 6 semaines.",
    ])


def _pelvic_ultrasound(s: _Parent) -> DraftDocument:
    ctx = s.ctx
    day = workday(s.iud + timedelta(days=ctx.rng.randint(40, 46)))
    return ctx.doc(code.IMAGERIE, "Échographie pelvienne de contrôle de DIU",
                   ctx.at(day, 9), "radiologue", [
        f"Indication : contrôle de position d'un dispositif intra-utérin au cuivre posé le"
        f" {fr_date(s.iud)}",
        f"({ctx.team['gyneco'].name}).",
        "Technique : voie sus-pubienne puis endovaginale, avec l'accord de la patiente.",
        "",
        f"Utérus antéversé de taille normale : {ctx.rng.randint(72, 82)} x"
        f" {ctx.rng.randint(40, 48)} x {ctx.rng.randint(34, 40)} mm, myomètre homogène.",
        f"Endomètre régulier, épaisseur {ctx.rng.randint(5, 9)} mm.",
        "DIU en position normale : tige dans la cavité utérine, bras horizontaux au fond,",
        f"extrémité supérieure à {ctx.rng.randint(1, 3)} mm du fond de la cavité.",
        f"Ovaire droit {ctx.rng.randint(26, 34)} x {ctx.rng.randint(16, 22)} mm,"
        f" ovaire gauche {ctx.rng.randint(25, 33)} x {ctx.rng.randint(15, 21)} mm,",
        "follicules d'aspect normal. Pas d'épanchement dans le cul-de-sac de Douglas.",
        "",
        "Conclusion : dispositif intra-utérin normalement positionné.",
        "Échographie pelvienne normale.",
    ])


def _fatigue_labs(s: _Parent) -> DraftDocument:
    ctx = s.ctx
    sampled = ctx.at(s.labs, 8)
    return ctx.doc(code.BIOLOGIE, "Bilan biologique — asthénie",
                   ctx.at(s.labs, 17), "biologiste", [
        f"Prélèvement du {fr_date(sampled)} à {fr_time(sampled)}, à jeun."
        f" Prescripteur : {ctx.team['generaliste'].name}.",
        "Renseignements cliniques : fatigue depuis deux mois.",
        "",
        "HÉMATOLOGIE",
        lab("Hémoglobine", ctx.uniform(12.4, 13.2, 1), 1, "g/dL", 12.0, 16.0),
        lab("Volume globulaire moyen", ctx.uniform(83, 88, 1), 1, "fL", 80, 100),
        lab("Leucocytes", ctx.uniform(5.0, 8.0, 1), 1, "G/L", 4.0, 10.0),
        lab("Plaquettes", int(ctx.uniform(200, 320)), 0, "G/L", 150, 400),
        "BIOCHIMIE",
        lab("Ferritine", s.ferritin, 0, "µg/L", 15, 150),
        lab("Glycémie à jeun", ctx.uniform(0.80, 0.92, 2), 2, "g/L", 0.70, 1.10),
        lab("CRP", ctx.uniform(0.5, 3.0, 1), 1, "mg/L", None, 5),
        lab("TSH", ctx.uniform(1.1, 2.4, 2), 2, "mUI/L", 0.40, 4.00),
        lab("25-OH vitamine D", s.vitamin_d, 0, "ng/mL", 30, 100),
        "",
        "Commentaire : réserves en fer à la limite inférieure de la normale ;",
        "insuffisance en vitamine D. Pas d'anémie, pas de dysthyroïdie.",
    ])


def _teleconsultation(s: _Parent) -> DraftDocument:
    ctx = s.ctx
    return ctx.doc(code.TELEMEDECINE, "Compte rendu de téléconsultation",
                   ctx.at(s.teleconsultation, 12), "generaliste", [
        "Modalité : téléconsultation par vidéotransmission, à la demande de la patiente,",
        "consentement recueilli ; patiente à son domicile, identité vérifiée.",
        "Motif : brûlures mictionnelles et envies fréquentes d'uriner depuis la veille.",
        "",
        "Anamnèse : pas de fièvre, pas de douleur lombaire, pas de pertes anormales ;",
        "pas de grossesse possible (DIU au cuivre) ; premier épisode de l'année.",
        "Bandelette urinaire faite en pharmacie ce matin : leucocytes ++, nitrites +.",
        "Pas d'allergie médicamenteuse connue.",
        "",
        "Conclusion : cystite aiguë simple.",
        "Traitement : fosfomycine-trométamol en dose unique, boissons abondantes",
        "(ordonnance transmise par messagerie sécurisée).",
        f"Bilan du {fr_date(s.labs)} revu avec la patiente : ferritine à {s.ferritin} µg/L,"
        f" vitamine D à {s.vitamin_d} ng/mL ;",
        "supplémentation en vitamine D ajoutée, alimentation riche en fer conseillée.",
        "Consulter en présentiel en cas de fièvre, de douleur lombaire ou de symptômes",
        "persistant au-delà de 3 jours.",
        f"Durée de la téléconsultation : {ctx.rng.randint(10, 15)} minutes.",
    ])


def _uti_prescription(s: _Parent) -> DraftDocument:
    ctx = s.ctx
    return ctx.doc(code.PRESCRIPTION_MEDICAMENTS, "Ordonnance — cystite aiguë simple",
                   ctx.at(s.teleconsultation, 12, 25), "generaliste", [
        "ORDONNANCE (téléconsultation)",
        "",
        "1. Fosfomycine trométamol 3 g, granulés pour solution buvable en sachet",
        "   1 sachet en prise unique, à distance des repas, de préférence le soir",
        "   au coucher après avoir vidé la vessie.",
        "2. Cholécalciférol (vitamine D3) 50 000 UI, solution buvable en ampoule",
        "   1 ampoule par mois pendant 3 mois.",
        "3. Paracétamol 1 g, comprimé",
        "   1 comprimé en cas de douleur, 6 heures au moins entre deux prises,",
        "   3 comprimés par jour au maximum.",
        "",
        "Boire au moins 1,5 litre d'eau par jour.",
    ])


# --- Léo -----------------------------------------------------------------------------------


class _Child:
    """Facts shared by Léo's documents."""

    def __init__(self, ctx: StoryContext) -> None:
        self.ctx = ctx
        born = ctx.patient.persona.birth_date
        self.weight = ctx.uniform(24, 27, 1)
        self.height = ctx.rng.randint(127, 133)
        self.attack = fever_start(ctx.anchor) + timedelta(days=2)
        self.follow_up = workday(self.attack + timedelta(days=ctx.rng.randint(5, 7)))
        self.pef_best = ctx.rng.randrange(240, 290, 10)
        self.booster = workday(
            date(born.year + 6, born.month, born.day) + timedelta(days=ctx.rng.randint(20, 60))
        )
        after_recovery = workday(self.follow_up + timedelta(days=ctx.rng.randint(14, 20)))
        self.flu_shot = (
            after_recovery
            if in_flu_season(after_recovery) and after_recovery <= ctx.day(3)
            else workday(flu_vaccination_day(ctx.rng, ctx.day(10)))
        )
        self.mother = ctx.guardian.display_name if ctx.guardian else "sa mère"

    @property
    def prednisolone_mg(self) -> int:
        """1 mg/kg/day, rounded to a tablet combination (5 mg steps)."""
        return int(5 * round(self.weight / 5))


def child_documents(ctx: StoryContext) -> list[DraftDocument]:
    """Léo Dubois, 8, asthma; his space is managed by his mother."""
    c = _Child(ctx)
    return [
        _booster_vaccine(c),
        _asthma_emergency(c),
        _chest_xray(c),
        _discharge_prescription(c),
        _pediatric_follow_up(c),
        _inhaler_devices(c),
        _asthma_action_plan(c),
        _flu_vaccine(c),
        _lung_function(c),
    ]


def _booster_vaccine(c: _Child) -> DraftDocument:
    ctx = c.ctx
    when = ctx.at(c.booster, 17)
    born = ctx.patient.persona.birth_date
    return ctx.doc(code.ACTE_PREVENTIF,
                   "Vaccination — rappel diphtérie, tétanos, coqueluche, poliomyélite",
                   when, "pediatre", [
        f"Rappel des 6 ans du calendrier vaccinal (enfant de {age_on(born, c.booster)} ans).",
        "Carnet de santé vérifié : primovaccination et rappel de 11 mois complets,",
        "rougeole-oreillons-rubéole 2 doses, méningocoque C : vaccinations à jour.",
        "Pas de fièvre ce jour, pas de réaction lors des vaccinations précédentes.",
        "",
        "Vaccin administré : diphtérie, tétanos, coqueluche acellulaire, poliomyélite",
        "(DTCaPolio, dose pédiatrique), 0,5 mL.",
        f"Voie intramusculaire, deltoïde gauche. Lot : {batch_number(ctx.rng)}."
        f" Heure : {fr_time(when)}.",
        "Surveillance de 15 minutes : pas de réaction.",
        "",
        "Prochains rendez-vous vaccinaux : rappel dTcaPolio entre 11 et 13 ans ;",
        "vaccination contre les papillomavirus proposée à partir de 11 ans.",
        f"Consentement de la mère, {c.mother}, présente. Carnet de santé mis à jour.",
    ])


def _asthma_emergency(c: _Child) -> DraftDocument:
    ctx = c.ctx
    arrival = ctx.at(c.attack, ctx.rng.randint(18, 21))
    leaving = arrival + timedelta(hours=4, minutes=ctx.rng.randrange(0, 60, 5))
    return ctx.doc(code.URGENCES, "Compte rendu de passage aux urgences pédiatriques",
                   leaving, "urgentiste", [
        f"Arrivée le {fr_date(arrival)} à {fr_time(arrival)}, accompagné de sa mère,"
        f" {c.mother}.",
        "Motif : toux et sifflements depuis la veille, fièvre à 38,9 °C et rhinopharyngite",
        "depuis 2 jours ; gêne respiratoire croissante malgré 4 bouffées de salbutamol",
        "à deux reprises.",
        "Antécédents : asthme diagnostiqué à 5 ans, sans traitement de fond ; une crise",
        "l'hiver dernier. Pas d'allergie médicamenteuse. Vaccinations à jour.",
        f"Poids : {fr_num(c.weight, 1)} kg.",
        "",
        f"Examen à l'arrivée : FR 34/min, SpO2 92 % en air ambiant, FC {ctx.rng.randint(120, 134)}"
        "/min, T 38,4 °C ;",
        "tirage intercostal, sibilants diffus aux deux champs, parle par phrases courtes.",
        "",
        "Prise en charge :",
        "  - salbutamol nébulisé 2,5 mg, 3 fois à 20 minutes d'intervalle, avec ipratropium",
        "    0,25 mg aux deux premières nébulisations ;",
        f"  - prednisolone {c.prednisolone_mg} mg per os (1 mg/kg) ; oxygène 1 L/min pendant"
        " une heure ;",
        "  - radiographie du thorax (compte rendu joint).",
        "Évolution : nette amélioration à la 3e heure : FR 24/min, SpO2 97 % en air ambiant,",
        "quelques sibilants expiratoires, plus de tirage.",
        "",
        "Diagnostic : exacerbation d'asthme modérée, déclenchée par une infection virale.",
        f"Sortie à {fr_time(leaving)} avec sa mère. Ordonnance remise.",
        "Consignes : revoir le pédiatre dans la semaine (traitement de fond) ; revenir en",
        "cas de difficulté à parler, de lèvres bleues ou de besoin de salbutamol plus",
        "souvent que toutes les 4 heures.",
    ], act_start=arrival, act_end=leaving)


def _chest_xray(c: _Child) -> DraftDocument:
    ctx = c.ctx
    return ctx.doc(code.IMAGERIE, "Radiographie du thorax de face",
                   ctx.at(c.attack, 22), "radiologue", [
        "Indication : exacerbation d'asthme fébrile ; recherche d'un foyer pulmonaire,",
        "d'un pneumothorax ou d'un pneumomédiastin.",
        "Technique : cliché de face, debout, en inspiration.",
        "",
        "Résultat :",
        "  Distension thoracique modérée, coupoles diaphragmatiques aplaties.",
        "  Épaississement bronchique péri-hilaire bilatéral.",
        "  Pas de foyer de condensation alvéolaire.",
        "  Pas d'épanchement pleural, pas de pneumothorax, pas de pneumomédiastin.",
        "  Silhouette cardio-médiastinale normale.",
        "",
        "Conclusion : distension et syndrome bronchique compatibles avec une crise",
        "d'asthme d'origine virale ; pas de pneumopathie ni de complication.",
    ])


def _discharge_prescription(c: _Child) -> DraftDocument:
    ctx = c.ctx
    return ctx.doc(code.PRESCRIPTION_MEDICAMENTS, "Ordonnance de sortie des urgences",
                   ctx.at(c.attack, 23), "urgentiste", [
        f"ORDONNANCE — enfant de {fr_num(c.weight, 1)} kg",
        "",
        "1. Salbutamol 100 µg/dose, suspension pour inhalation en flacon pressurisé,",
        "   avec chambre d'inhalation :",
        "   4 bouffées toutes les 4 heures pendant 48 heures,",
        "   puis 2 à 4 bouffées en cas de gêne ou de sifflements.",
        "2. Prednisolone, comprimé orodispersible",
        f"   {c.prednisolone_mg} mg par jour (1 mg/kg) le matin, pendant 2 jours encore",
        "   (3 jours de traitement au total).",
        "3. Paracétamol, suspension buvable pédiatrique",
        "   1 dose-poids (15 mg/kg) toutes les 6 heures en cas de fièvre.",
        "",
        "Consultation chez le pédiatre traitant dans la semaine.",
    ])


def _pediatric_follow_up(c: _Child) -> DraftDocument:
    ctx = c.ctx
    return ctx.doc(code.CONSULTATION, "Consultation de pédiatrie — suivi de l'asthme",
                   ctx.at(c.follow_up, 17), "pediatre", [
        f"Motif : suivi après un passage aux urgences pour exacerbation d'asthme le"
        f" {fr_date(c.attack)}.",
        "Histoire : asthme connu depuis l'âge de 5 ans ; trois épisodes de sifflements",
        "cette année ; toux nocturne deux fois par mois ; gêne pendant le sport scolaire.",
        "Aucun traitement de fond jusqu'ici.",
        "Terrain : rhinite allergique aux acariens ; pas de tabagisme passif.",
        "",
        f"Examen : poids {fr_num(c.weight, 1)} kg, taille {c.height} cm ; auscultation"
        " pulmonaire normale ;",
        f"pas de signe de lutte. Débit expiratoire de pointe : {c.pef_best - 30} L/min.",
        f"Test de contrôle de l'asthme de l'enfant (C-ACT) : {ctx.rng.randint(15, 18)}/27"
        " (non contrôlé).",
        "Technique d'inhalation avec chambre vérifiée : correcte après explications.",
        "",
        "Conclusion : asthme partiellement contrôlé avec exacerbation récente :",
        "indication d'un traitement de fond.",
        "Conduite à tenir :",
        "  - fluticasone 50 µg/dose, 2 bouffées matin et soir avec chambre, 3 mois minimum ;",
        "  - salbutamol à la demande ; plan d'action écrit remis à sa mère ;",
        "  - projet d'accueil individualisé (PAI) à mettre en place avec l'école ;",
        "  - explorations fonctionnelles respiratoires dans 4 semaines ;",
        "  - housses anti-acariens ; vaccination antigrippale recommandée chaque automne ;",
        "  - nouvelle consultation dans 3 mois.",
    ])


def _inhaler_devices(c: _Child) -> DraftDocument:
    ctx = c.ctx
    return ctx.doc(code.DISPENSATION_AUTRE,
                   "Délivrance d'une chambre d'inhalation et d'un débitmètre de pointe",
                   ctx.at(c.follow_up, 18, 30), "pharmacien", [
        f"Prescription du {fr_date(c.follow_up)} ({ctx.team['pediatre'].name}).",
        "",
        "Dispositifs délivrés :",
        "  - chambre d'inhalation pédiatrique avec embout buccal (à partir de 6 ans) : 1 ;",
        "  - débitmètre de pointe à échelle pédiatrique : 1.",
        "",
        f"Démonstration faite à Léo et à sa mère, {c.mother} :",
        "  - agiter le flacon, une bouffée dans la chambre, puis 5 à 6 respirations lentes ;",
        "  - attendre 30 secondes entre deux bouffées ; se rincer la bouche après la",
        "    fluticasone ;",
        "  - laver la chambre une fois par semaine à l'eau savonneuse, sécher à l'air libre",
        "    sans essuyer.",
        "Débitmètre : noter la meilleure de trois mesures, matin et soir, pendant deux",
        "semaines pour établir la valeur de référence personnelle.",
    ])


def _asthma_action_plan(c: _Child) -> DraftDocument:
    ctx = c.ctx
    green, red = int(c.pef_best * 0.8), int(c.pef_best * 0.5)
    return ctx.doc(code.PLAN_PERSONNALISE_SOINS,
                   "Plan d'action personnalisé en cas de crise d'asthme",
                   ctx.at(c.follow_up, 17, 45), "pediatre", [
        f"Meilleur débit expiratoire de pointe (DEP) estimé : {c.pef_best} L/min.",
        "",
        "Traitement de fond, tous les jours même sans symptôme :",
        "  fluticasone 50 µg, 2 bouffées matin et soir avec la chambre, puis rincer la bouche.",
        "",
        f"ZONE VERTE — tout va bien (pas de toux, pas de sifflement, DEP > {green} L/min) :",
        "  continuer le traitement de fond.",
        f"ZONE ORANGE — début de crise (toux, sifflements, gêne, DEP {red} à {green} L/min) :",
        "  salbutamol 2 à 4 bouffées avec la chambre, à renouveler toutes les 20 minutes",
        "  pendant une heure si besoin ; si amélioration, 4 bouffées toutes les 4 heures",
        "  pendant 24 à 48 heures et prévenir le médecin.",
        f"ZONE ROUGE — crise grave (parle difficilement, lèvres bleues, DEP < {red} L/min,",
        "  pas d'amélioration après salbutamol) :",
        "  appeler le 15 ; donner salbutamol jusqu'à 10 bouffées en attendant les secours ;",
        f"  prednisolone {c.prednisolone_mg} mg si prescrite par le médecin.",
        "",
        "Facteurs déclenchants : rhumes, acariens, effort, tabac, froid.",
        "Sport : 2 bouffées de salbutamol 15 minutes avant l'effort en cas de gêne.",
        "Une copie est jointe au projet d'accueil individualisé (PAI) de l'école.",
    ])


def _flu_vaccine(c: _Child) -> DraftDocument:
    ctx = c.ctx
    when = ctx.at(c.flu_shot, ctx.rng.randint(16, 18))
    return ctx.doc(code.ACTE_PREVENTIF, "Vaccination contre la grippe saisonnière",
                   when, "pediatre", [
        f"Campagne de vaccination contre la grippe saisonnière {flu_season(c.flu_shot)}.",
        "Indication : enfant asthmatique (vaccination recommandée chaque année).",
        "Déjà vacciné lors d'une saison précédente : une seule dose nécessaire.",
        "Pas de fièvre ce jour ; pas de réaction lors des vaccinations antérieures.",
        "",
        "Vaccin administré : vaccin grippal inactivé, 0,5 mL.",
        f"Voie intramusculaire, deltoïde droit. Lot : {batch_number(ctx.rng)}."
        f" Heure : {fr_time(when)}.",
        "Surveillance de 15 minutes : pas de réaction.",
        "",
        "Information donnée à sa mère : fièvre modérée ou douleur au point d'injection",
        "possibles pendant 24 à 48 heures ; paracétamol si besoin.",
        "Carnet de santé mis à jour.",
    ])


def _lung_function(c: _Child) -> DraftDocument:
    ctx = c.ctx
    day = workday(ctx.day(ctx.rng.randint(5, 8)))
    fvc = ctx.uniform(1.80, 2.05, 2)
    fev1 = round(fvc * ctx.uniform(0.83, 0.88, 2), 2)
    fef = ctx.uniform(1.55, 1.85, 2)
    gain = ctx.uniform(0.04, 0.08, 2)
    fev1_after = round(fev1 * (1 + gain), 2)
    fef_after = round(fef * 1.12, 2)
    return ctx.doc(code.ACTE_DIAGNOSTIQUE,
                   "Explorations fonctionnelles respiratoires (spirométrie et réversibilité)",
                   ctx.at(day, 11), "pneumopediatre", [
        f"Indication : asthme de l'enfant sous fluticasone depuis le {fr_date(c.follow_up)},",
        f"à distance de l'exacerbation du {fr_date(c.attack)} ; demande"
        f" {ctx.team['pediatre'].after_de}.",
        "Conditions : salbutamol arrêté depuis 12 heures ; bonne coopération ; critères",
        "d'acceptabilité et de reproductibilité ATS/ERS respectés.",
        f"Taille {c.height} cm, poids {fr_num(c.weight, 1)} kg. Références GLI 2012.",
        "",
        "                    Mesuré   % théorique   Après salbutamol 400 µg",
        f"  CVF (L)           {fr_num(fvc, 2)}      {int(fvc / 1.95 * 100)} %"
        f"          {fr_num(fvc * 1.02, 2)}",
        f"  VEMS (L)          {fr_num(fev1, 2)}      {int(fev1 / 1.70 * 100)} %"
        f"          {fr_num(fev1_after, 2)} (+{int(gain * 100)} %)",
        f"  VEMS/CVF          {fr_num(fev1 / fvc, 2)}",
        f"  DEM 25-75 (L/s)   {fr_num(fef, 2)}      {int(fef / 2.10 * 100)} %"
        f"          {fr_num(fef_after, 2)}",
        "",
        "Interprétation : absence de trouble ventilatoire obstructif (rapport VEMS/CVF",
        "normal) ; débits distaux discrètement abaissés ; réversibilité non significative",
        f"(+{int(gain * 100)} %, seuil 12 %) sous traitement de fond.",
        "Conclusion : fonction respiratoire normale sous corticoïde inhalé.",
        "Poursuite du traitement de fond ; nouvelles EFR dans 6 à 12 mois.",
    ])
