"""Thomas Girard's knee replacement: work-up, surgery, stay, discharge and remote follow-up.

Surgery and discharge days come from the shared story timeline, so the documents, the measures
(post-operative temperature) and the physiotherapy appointments tell the same story.
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
    lab_text,
    workday,
)
from mock_server.seed.measure_timeline import discharge_day, surgery_day

_HEIGHT_CM = 180


class _Knee:
    """Facts shared by Thomas's documents."""

    def __init__(self, ctx: StoryContext) -> None:
        self.ctx = ctx
        self.side = ctx.choice(("droit", "gauche"))
        self.surgery = surgery_day(ctx.anchor)
        self.discharge = discharge_day(ctx.anchor)
        self.weight = ctx.uniform(82, 92, 1)
        self.varus = ctx.rng.randint(6, 10)
        self.hb_before = ctx.uniform(14.2, 15.6, 1)
        self.hb_day1 = round(self.hb_before - ctx.uniform(1.6, 2.4, 1), 1)
        self.flexion = ctx.rng.randrange(85, 100, 5)
        self.staples = ctx.rng.randint(17, 21)
        self.blood_group = ctx.choice(("A RhD positif", "O RhD positif", "B RhD positif"))
        self.anaesthesia_visit = workday(self.surgery - timedelta(days=ctx.rng.randint(20, 25)))
        self.preop_labs = workday(self.surgery - timedelta(days=ctx.rng.randint(8, 12)))

    @property
    def side_fem(self) -> str:
        return "droite" if self.side == "droit" else "gauche"

    @property
    def other_side(self) -> str:
        return "gauche" if self.side == "droit" else "droit"

    def day(self, postoperative: int) -> date:
        """The day J+n after surgery."""
        return self.surgery + timedelta(days=postoperative)

    @property
    def anticoagulation_end(self) -> date:
        return self.day(35)

    @property
    def staples_removal(self) -> date:
        return self.day(14)

    @property
    def teleconsultation(self) -> date:
        """The remote follow-up planned at J10 (on the working day before, on a weekend)."""
        return workday(self.day(10))

    @property
    def teleconsultation_label(self) -> str:
        return f"J{(self.teleconsultation - self.surgery).days}"

    @property
    def surgeon_visit(self) -> date:
        return workday(self.day(42))


def discharged_documents(ctx: StoryContext) -> list[DraftDocument]:
    """Thomas Girard, 46, home for a week after a total knee replacement."""
    t = _Knee(ctx)
    return [
        _preop_xray(t),
        _anaesthesia_visit(t),
        _preop_labs(t),
        _admission(t),
        _operation(t),
        _anaesthesia(t),
        _postop_xray(t),
        _stay(t),
        _discharge_letter(t),
        _discharge_prescription(t),
        _care_prescription(t),
        _episode_summary(t),
        _wound_photo(t),
        _teleconsultation(t),
    ]


def _preop_xray(t: _Knee) -> DraftDocument:
    ctx = t.ctx
    day = workday(t.surgery - timedelta(days=ctx.rng.randint(62, 75)))
    return ctx.doc(code.IMAGERIE, "Radiographies des genoux en charge",
                   ctx.at(day, 10), "radiologue", [
        f"Indication : gonalgies {t.side_fem}s mécaniques invalidantes, avant avis chirurgical.",
        f"Antécédent de méniscectomie médiale {t.side_fem} sous arthroscopie en 2006.",
        "Technique : genoux de face en charge, incidence en schuss, profils, défilés",
        "fémoro-patellaires à 30°, pangonogramme en charge.",
        "",
        "Résultats :",
        f"  Genou {t.side} : pincement complet de l'interligne fémoro-tibial médial,",
        "  ostéophytes marginaux fémoraux et tibiaux, condensation de l'os sous-chondral ;",
        "  interligne latéral préservé ; pincement fémoro-patellaire modéré.",
        f"  Genou {t.other_side} : interlignes conservés, pas d'anomalie osseuse.",
        f"  Pangonogramme : genu varum {t.side} de {t.varus}° ; axe {t.other_side} normal.",
        "",
        f"Conclusion : gonarthrose fémoro-tibiale médiale {t.side_fem} évoluée (stade IV de",
        f"Kellgren et Lawrence), secondaire à la méniscectomie, sur genu varum de {t.varus}°.",
    ])


def _anaesthesia_visit(t: _Knee) -> DraftDocument:
    ctx = t.ctx
    bmi = t.weight / (_HEIGHT_CM / 100) ** 2
    return ctx.doc(code.CONSULTATION_PRE_ANESTHESIQUE, "Consultation pré-anesthésique",
                   ctx.at(t.anaesthesia_visit, 14), "anesthesiste", [
        f"Intervention prévue : prothèse totale du genou {t.side} le {fr_date(t.surgery)},",
        f"par {ctx.team['chirurgien'].after_par} ; hospitalisation complète, récupération",
        "améliorée après chirurgie.",
        "Antécédents : méniscectomie sous arthroscopie en 2006 (anesthésie générale, sans",
        "incident). Pas d'antécédent médical. Pas d'antécédent anesthésique familial.",
        "Allergies : aucune connue. Tabac : sevré depuis 2015. Alcool : occasionnel.",
        "Traitement : ibuprofène à la demande (à arrêter 5 jours avant), paracétamol.",
        "",
        f"Examen : poids {fr_num(t.weight, 1)} kg, taille {_HEIGHT_CM} cm,"
        f" IMC {fr_num(bmi, 1)} kg/m² ;"
        f" TA {ctx.rng.randint(122, 134)}/{ctx.rng.randint(74, 82)} mmHg,"
        f" FC {ctx.rng.randint(60, 72)}/min.",
        "Auscultation cardio-pulmonaire normale.",
        "Voies aériennes : Mallampati I, ouverture de bouche supérieure à 3 travers de",
        "doigt, distance thyro-mentonnière supérieure à 6,5 cm, cou mobile.",
        "Classe ASA : 1.",
        "",
        "Examens prescrits : groupe sanguin (2 déterminations), RAI, NFS, plaquettes,",
        "TP, TCA, ionogramme, créatinine. ECG non indiqué.",
        "Technique proposée : rachianesthésie avec morphine intrathécale et bloc du canal",
        "des adducteurs échoguidé ; anesthésie générale en cas d'échec.",
        "Information sur les bénéfices et les risques donnée, fiche remise, questions",
        "répondues ; le patient accepte la technique proposée.",
        "Consignes : solides jusqu'à 6 heures et liquides clairs jusqu'à 2 heures avant",
        "l'intervention ; douche préopératoire la veille et le matin.",
    ])


def _preop_labs(t: _Knee) -> DraftDocument:
    ctx = t.ctx
    sampled = ctx.at(t.preop_labs, 8)
    return ctx.doc(code.BIOLOGIE, "Bilan biologique préopératoire",
                   ctx.at(t.preop_labs, 15), "biologiste", [
        f"Prélèvement du {fr_date(sampled)} à {fr_time(sampled)}."
        f" Prescripteur : {ctx.team['anesthesiste'].name}.",
        f"Renseignements : prothèse totale du genou prévue le {fr_date(t.surgery)}.",
        "",
        "IMMUNO-HÉMATOLOGIE",
        lab_text("Groupe sanguin ABO-RhD", t.blood_group, "2 déterminations"),
        lab_text("Agglutinines irrégulières (RAI)", "négative"),
        "HÉMATOLOGIE",
        lab("Hémoglobine", t.hb_before, 1, "g/dL", 13.0, 17.0),
        lab("Leucocytes", ctx.uniform(5.0, 8.5, 1), 1, "G/L", 4.0, 10.0),
        lab("Plaquettes", int(ctx.uniform(190, 310)), 0, "G/L", 150, 400),
        "HÉMOSTASE",
        lab("Taux de prothrombine", int(ctx.uniform(88, 100)), 0, "%", 70, 100),
        lab("TCA (ratio patient/témoin)", ctx.uniform(0.95, 1.12, 2), 2, "", None, 1.20),
        "BIOCHIMIE",
        lab("Sodium", int(ctx.uniform(138, 142)), 0, "mmol/L", 136, 145),
        lab("Potassium", ctx.uniform(3.9, 4.5, 1), 1, "mmol/L", 3.5, 5.0),
        lab("Créatinine", int(ctx.uniform(78, 96)), 0, "µmol/L", 64, 104),
        lab("Glycémie", ctx.uniform(0.84, 0.98, 2), 2, "g/L", 0.70, 1.10),
        "",
        "Conclusion : bilan préopératoire normal.",
    ])


def _admission(t: _Knee) -> DraftDocument:
    ctx = t.ctx
    arrival = ctx.at(t.surgery, 7, 0)
    return ctx.doc(code.ADMISSION, "Compte rendu d'admission — chirurgie orthopédique",
                   ctx.at(t.surgery, 7, 40), "chirurgien", [
        f"Admission programmée le {fr_date(arrival)} à {fr_time(arrival)}, service de"
        " chirurgie orthopédique,",
        f"chambre {ctx.rng.randint(201, 240)}. Entrée depuis le domicile, à jeun.",
        f"Motif : prothèse totale du genou {t.side} pour gonarthrose fémoro-tibiale médiale",
        "évoluée, après échec du traitement médical (antalgiques, deux infiltrations,",
        "kinésithérapie).",
        "",
        "Vérifications à l'entrée :",
        "  - identité vérifiée, bracelet d'identification posé ;",
        f"  - consultation pré-anesthésique du {fr_date(t.anaesthesia_visit)} et bilan du"
        f" {fr_date(t.preop_labs)} au dossier ;",
        "  - consentement éclairé signé ; jeûne respecté ;",
        "  - douches préopératoires faites ; peau du genou saine, sans lésion ;",
        f"  - côté opéré marqué par le chirurgien (genou {t.side}).",
        f"Constantes : TA {ctx.rng.randint(124, 136)}/{ctx.rng.randint(74, 84)} mmHg,"
        f" FC {ctx.rng.randint(62, 76)}/min, T 36,6 °C, SpO2 98 %.",
        "Douleur du genou : EVA 4/10. Pas de traitement personnel au long cours.",
        "",
        "Sortie prévue à J3-J4 au domicile, avec kinésithérapie en ville.",
    ])


def _operation(t: _Knee) -> DraftDocument:
    ctx = t.ctx
    start = ctx.at(t.surgery, 8, ctx.rng.randrange(30, 55, 5))
    end = start + timedelta(minutes=ctx.rng.randrange(80, 105, 5))
    return ctx.doc(code.OPERATOIRE, f"Compte rendu opératoire — prothèse totale du genou {t.side}",
                   end + timedelta(minutes=20), "chirurgien", [
        f"Intervention du {fr_date(start)}, de {fr_time(start)} à {fr_time(end)}.",
        f"Opérateur : {ctx.team['chirurgien'].name}. Anesthésie : {ctx.team['anesthesiste'].name}"
        " (rachianesthésie).",
        f"Indication : gonarthrose fémoro-tibiale médiale {t.side_fem} sur genu varum de"
        f" {t.varus}°.",
        "Installation en décubitus dorsal, sans garrot. Céfazoline 2 g et acide",
        "tranexamique 1 g avant l'incision. Check-list de sécurité au bloc réalisée.",
        "",
        "Voie d'abord médiane antérieure, arthrotomie parapatellaire médiale.",
        "Constatations : usure cartilagineuse complète du compartiment médial, ostéophytes.",
        "Coupe tibiale perpendiculaire à l'axe mécanique (guide extra-médullaire), coupe",
        "fémorale distale à 5° de valgus (guide intra-médullaire), coupes antérieure,",
        "postérieure et chanfreins en rotation externe de 3°. Ablation des ostéophytes,",
        "libération médiale progressive, équilibrage en flexion et en extension.",
        "Essais : genou stable, extension complète, flexion à 125°, rotule centrée.",
        "Implants cimentés (ciment à la gentamicine) : prothèse postéro-stabilisée à plateau",
        f"fixe, fémur taille {ctx.rng.randint(4, 6)}, embase tibiale taille"
        f" {ctx.rng.randint(4, 6)}, insert polyéthylène {ctx.choice((10, 11, 12))} mm ;",
        "pas de resurfaçage rotulien. Infiltration péri-articulaire (ropivacaïne).",
        "Lavage, hémostase, fermeture plan par plan, agrafes cutanées, pas de drainage.",
        "",
        f"Incident : aucun. Pertes sanguines estimées : {ctx.rng.randrange(150, 300, 50)} mL.",
        "Suites : lever et appui complet autorisés dès ce jour avec le kinésithérapeute ;",
        "anticoagulation préventive pendant 35 jours ; radiographie de contrôle à J1.",
    ], act_start=start, act_end=end)


def _anaesthesia(t: _Knee) -> DraftDocument:
    ctx = t.ctx
    block = ctx.at(t.surgery, 8, 5)
    recovery_out = ctx.at(t.surgery, 11, ctx.rng.randrange(15, 50, 5))
    return ctx.doc(code.ANESTHESIE, "Compte rendu d'anesthésie",
                   recovery_out + timedelta(minutes=10), "anesthesiste", [
        f"Patient ASA 1, {fr_num(t.weight, 1)} kg. Jeûne et identité vérifiés, check-list"
        " réalisée.",
        "Monitorage : ECG, pression artérielle non invasive, SpO2, capnographie sous",
        "lunettes. Voie veineuse périphérique 18 G.",
        "",
        "Technique :",
        f"  - {fr_time(block)} : bloc du canal des adducteurs {t.side} échoguidé, ropivacaïne"
        " 0,2 % 20 mL ;",
        "  - rachianesthésie en position assise, espace L3-L4, aiguille pointe crayon",
        "    25 G : bupivacaïne hyperbare 0,5 % 12,5 mg et morphine 100 µg ; niveau",
        "    sensitif T10 ;",
        "  - sédation légère au propofol à objectif de concentration.",
        "Médicaments : céfazoline 2 g, acide tranexamique 1 g, dexaméthasone 8 mg,",
        "ondansétron 4 mg. Remplissage : Ringer lactate 1000 mL.",
        "Déroulement : hémodynamique stable, pas d'hypotension, pas d'incident.",
        "",
        f"Salle de surveillance post-interventionnelle : sortie à {fr_time(recovery_out)},"
        " score d'Aldrete 10,",
        "EVA 0/10, pas de nausée.",
        "Prescriptions : paracétamol 1 g toutes les 6 heures ; kétoprofène 100 mg deux fois",
        "par jour pendant 48 heures ; oxycodone orale de secours si EVA > 4 ; surveillance",
        "de la respiration et de la vigilance pendant 24 heures (morphine intrathécale) ;",
        "première dose d'apixaban le lendemain matin.",
    ])


def _postop_xray(t: _Knee) -> DraftDocument:
    ctx = t.ctx
    return ctx.doc(code.IMAGERIE, f"Radiographie du genou {t.side} — contrôle postopératoire",
                   ctx.at(t.day(1), 10), "radiologue_clinique", [
        f"Indication : contrôle à J1 d'une prothèse totale du genou {t.side} posée le"
        f" {fr_date(t.surgery)}.",
        "Technique : face et profil en décubitus.",
        "",
        "Résultat :",
        "  Prothèse totale du genou postéro-stabilisée cimentée, en place.",
        "  Implants fémoral et tibial bien positionnés, axe fémoro-tibial corrigé.",
        "  Pas de liseré à l'interface os-ciment, pas de débord d'implant.",
        "  Pas de fracture péri-prothétique. Rotule centrée sur le profil.",
        "  Agrafes cutanées ; discret emphysème sous-cutané postopératoire.",
        "",
        "Conclusion : aspect postopératoire satisfaisant.",
    ])


def _stay(t: _Knee) -> DraftDocument:
    ctx = t.ctx
    return ctx.doc(code.HOSPITALISATION, "Compte rendu d'hospitalisation",
                   ctx.at(t.discharge, 11), "chirurgien", [
        f"Séjour du {fr_date(t.surgery)} au {fr_date(t.discharge)}, chirurgie orthopédique,",
        "parcours de récupération améliorée après chirurgie.",
        f"Motif : prothèse totale du genou {t.side} programmée.",
        f"Antécédents : méniscectomie {t.side_fem} en 2006. Pas de traitement au long cours.",
        "Allergies : aucune connue.",
        f"Histoire : gonalgies {t.side_fem}s mécaniques depuis 5 ans, périmètre de marche",
        "réduit à 500 mètres malgré antalgiques, infiltrations et kinésithérapie.",
        "",
        f"Intervention le {fr_date(t.surgery)} : prothèse totale du genou {t.side}"
        " postéro-stabilisée cimentée,",
        "sous rachianesthésie et bloc du canal des adducteurs (comptes rendus joints).",
        "Suites opératoires :",
        "  - lever et marche avec déambulateur le soir même, cannes anglaises à J1,",
        "    escaliers à J3 ;",
        "  - douleur contrôlée (EVA ≤ 3 au repos), deux recours à l'antalgique de secours ;",
        f"  - flexion active à {t.flexion}° à la sortie, flessum de 5° ;",
        "  - cicatrice propre et sèche, pansement refait à J2 ;",
        f"  - hémoglobine {fr_num(t.hb_day1, 1)} g/dL à J1 (préopératoire"
        f" {fr_num(t.hb_before, 1)}), pas de transfusion ;",
        "  - pas de complication thromboembolique, urinaire ni infectieuse ;",
        "  - radiographie de J1 satisfaisante.",
        "",
        f"Traitement de sortie : apixaban 2,5 mg deux fois par jour jusqu'au"
        f" {fr_date(t.anticoagulation_end)} ;",
        "paracétamol ; tramadol si besoin.",
        "Suites : kinésithérapie (30 séances), soins infirmiers, ablation des agrafes le",
        f"{fr_date(t.staples_removal)}, consultation à 6 semaines le {fr_date(t.surgeon_visit)}"
        " ; arrêt de travail de 6 semaines.",
        f"Sortie au domicile le {fr_date(t.discharge)}.",
    ], act_start=ctx.at(t.surgery, 7, 0), act_end=ctx.at(t.discharge, 11, 0))


def _discharge_letter(t: _Knee) -> DraftDocument:
    ctx = t.ctx
    team = ctx.team
    return ctx.doc(code.LETTRE_DE_LIAISON_SORTIE, "Lettre de liaison à la sortie",
                   ctx.at(t.discharge, 11, 30), "chirurgien", [
        f"Destinataire : {team['generaliste'].name}, médecin traitant,",
        f"{team['generaliste'].place}.",
        "",
        "Chère consœur, cher confrère,",
        f"M. Thomas Girard a été hospitalisé du {fr_date(t.surgery)} au"
        f" {fr_date(t.discharge)} pour la pose",
        f"d'une prothèse totale du genou {t.side} (gonarthrose médiale évoluée).",
        "Suites simples : pas de transfusion, pas de complication ; radiographie de",
        f"contrôle satisfaisante ; hémoglobine {fr_num(t.hb_day1, 1)} g/dL à J1.",
        "",
        "Traitement de sortie (nouveau, pas de traitement antérieur) :",
        f"  - apixaban 2,5 mg matin et soir jusqu'au {fr_date(t.anticoagulation_end)} inclus ;",
        "  - paracétamol 1 g quatre fois par jour ; tramadol 50 mg si douleur non soulagée.",
        "Suivi organisé :",
        "  - kinésithérapie dès le retour au domicile ;",
        f"  - infirmier : pansements, ablation des agrafes le {fr_date(t.staples_removal)} ;",
        f"  - téléconsultation de suivi le {fr_date(t.teleconsultation)} ;",
        f"  - consultation avec radiographies le {fr_date(t.surgeon_visit)}.",
        "Signes devant faire consulter : fièvre, rougeur ou écoulement de la cicatrice,",
        "douleur ou gonflement du mollet, essoufflement.",
        "Remis au patient : ordonnances, compte rendu opératoire, arrêt de travail.",
        "Bien confraternellement.",
    ])


def _discharge_prescription(t: _Knee) -> DraftDocument:
    ctx = t.ctx
    return ctx.doc(code.PRESCRIPTION_MEDICAMENTS, "Ordonnance de sortie",
                   ctx.at(t.discharge, 11, 40), "chirurgien", [
        "ORDONNANCE",
        "",
        "1. Apixaban 2,5 mg, comprimé pelliculé",
        f"   1 comprimé matin et soir jusqu'au {fr_date(t.anticoagulation_end)} inclus",
        "   (prévention de la thrombose veineuse après prothèse de genou).",
        "2. Paracétamol 1 g, comprimé",
        "   1 comprimé toutes les 6 heures pendant 15 jours, puis en cas de douleur ;",
        "   4 comprimés par jour au maximum.",
        "3. Tramadol 50 mg, gélule",
        "   1 gélule si la douleur n'est pas soulagée par le paracétamol, 3 par jour au",
        "   maximum. Risque de somnolence : ne pas conduire.",
        "4. Macrogol 4000, sachet",
        "   1 sachet le matin en cas de constipation.",
        "",
        "Traitement pour 35 jours, non renouvelable.",
    ])


def _care_prescription(t: _Knee) -> DraftDocument:
    ctx = t.ctx
    return ctx.doc(code.PRESCRIPTION_SOINS, "Prescription de kinésithérapie et de soins infirmiers",
                   ctx.at(t.discharge, 11, 45), "chirurgien", [
        f"ORDONNANCE — suites de prothèse totale du genou {t.side} (intervention le"
        f" {fr_date(t.surgery)})",
        "",
        "1. Masso-kinésithérapie : rééducation après arthroplastie totale du genou,",
        "   30 séances, 3 à 5 par semaine, au domicile pendant 2 semaines puis au cabinet.",
        "   Appui complet autorisé. Objectifs : extension complète, flexion d'au moins 110°",
        "   à 6 semaines, marche sans cannes, renforcement du quadriceps ; cryothérapie",
        "   après chaque séance.",
        "",
        "2. Soins infirmiers à domicile :",
        "   - surveillance de la cicatrice, réfection du pansement tous les 4 jours ou s'il",
        "     est souillé ;",
        f"   - ablation des agrafes à J14, le {fr_date(t.staples_removal)} ;",
        "   - surveillance des signes de phlébite et de l'observance de l'anticoagulant.",
    ])


def _episode_summary(t: _Knee) -> DraftDocument:
    ctx = t.ctx
    return ctx.doc(code.SYNTHESE_EPISODE,
                   "Synthèse d'épisode de soins — prothèse totale du genou",
                   ctx.at(t.discharge + timedelta(days=1), 17), "chirurgien", [
        f"Épisode : hospitalisation du {fr_date(t.surgery)} au {fr_date(t.discharge)},",
        f"{ctx.team['chirurgien'].place}.",
        f"Problème principal : gonarthrose fémoro-tibiale médiale {t.side_fem} évoluée,",
        "secondaire à une méniscectomie.",
        f"Acte principal : arthroplastie totale du genou {t.side}, prothèse postéro-stabilisée",
        f"cimentée, le {fr_date(t.surgery)}.",
        "Anesthésie : rachianesthésie et bloc du canal des adducteurs ; ASA 1.",
        "Complications : aucune. Transfusion : non.",
        f"Résultats clés : hémoglobine {fr_num(t.hb_before, 1)} g/dL avant, "
        f"{fr_num(t.hb_day1, 1)} g/dL à J1 ;",
        f"radiographie de J1 satisfaisante ; flexion à {t.flexion}° à la sortie.",
        "Allergies : aucune connue.",
        "Dispositif implanté : prothèse totale de genou ; traçabilité des implants au",
        "dossier de l'établissement, carte d'implant remise au patient.",
        f"Traitements de sortie : apixaban jusqu'au {fr_date(t.anticoagulation_end)},"
        " paracétamol, tramadol si besoin.",
        "Suivi : kinésithérapie, soins infirmiers, téléconsultation à"
        f" {t.teleconsultation_label},",
        f"consultation chirurgicale le {fr_date(t.surgeon_visit)}.",
        f"Médecin traitant informé : {ctx.team['generaliste'].name}.",
    ])


def _wound_photo(t: _Knee) -> DraftDocument:
    ctx = t.ctx
    taken = ctx.at(t.day(8), 9)
    return ctx.doc(code.IMAGE_NON_DICOM, f"Photographie de la cicatrice du genou {t.side} (J8)",
                   taken + timedelta(minutes=20), "infirmier", [
        "Image d'illustration non DICOM : photographie numérique prise au domicile lors",
        "de la réfection du pansement, transmise au chirurgien pour le télésuivi.",
        f"Fichier d'origine : cicatrice_genou_{t.side}_J8.jpg, JPEG, 3024 x 4032 pixels,",
        f"prise de vue le {fr_date(taken)} à {fr_time(taken)}.",
        f"Vue : genou {t.side} de face, jambe en extension, réglette graduée le long de la",
        "cicatrice.",
        "",
        f"Description : cicatrice médiane antérieure de 14 cm, {t.staples} agrafes en place,",
        "berges bien affrontées ; pas de rougeur, pas d'écoulement, pas de désunion ;",
        "œdème modéré du genou ; ecchymose résiduelle à la face interne de la cuisse.",
        f"Température : {ctx.choice(('36,7', '36,8', '36,9'))} °C.",
        "",
        "Consentement du patient à la prise et à la transmission de la photographie",
        "recueilli.",
        f"Légende : cicatrice de prothèse totale du genou {t.side} à J8, aspect propre.",
    ])


def _teleconsultation(t: _Knee) -> DraftDocument:
    ctx = t.ctx
    when = ctx.at(t.teleconsultation, 17)
    return ctx.doc(code.TELEMEDECINE, "Compte rendu de téléconsultation — suivi postopératoire",
                   when, "chirurgien", [
        f"Téléconsultation par vidéotransmission à {t.teleconsultation_label} d'une prothèse"
        f" totale du genou {t.side}",
        f"(intervention le {fr_date(t.surgery)}). Patient à son domicile, consentement"
        " recueilli.",
        "Éléments transmis : photographie de la cicatrice à J8,",
        f"par {ctx.team['infirmier'].signature}.",
        "",
        f"Interrogatoire : douleur EVA {ctx.rng.randint(2, 3)}/10 au repos, 5/10 pendant la"
        " rééducation ;",
        "paracétamol régulier, tramadol une fois par jour le soir ; pas de fièvre ;",
        "marche avec deux cannes, environ 300 mètres ; kinésithérapie 4 fois par semaine ;",
        "apixaban pris matin et soir.",
        "Examen en vidéo : cicatrice propre (photographie de J8 et vue en direct),",
        f"mollets souples et indolores ; flexion mesurée par le kinésithérapeute à"
        f" {t.flexion + 5}°, flessum de 5°.",
        "",
        f"Conclusion : suites postopératoires simples à {t.teleconsultation_label}.",
        f"Conduite à tenir : ablation des agrafes le {fr_date(t.staples_removal)} par"
        f" {ctx.team['infirmier'].name} ;",
        f"poursuite de la rééducation et de l'apixaban jusqu'au"
        f" {fr_date(t.anticoagulation_end)} ;",
        f"consultation avec radiographies le {fr_date(t.surgeon_visit)} ; reprise de la"
        " conduite à discuter.",
        f"Durée : {ctx.rng.randint(12, 18)} minutes.",
    ])
