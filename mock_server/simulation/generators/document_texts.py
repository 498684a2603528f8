"""The French texts of the documents services write: one template per kind of document.

Each template picks the DMP type, writes a title and body lines from the patient's story
(`stories.py`) and current measures, and leaves the layout (header, identity, signature) to the
seed's `render_text`, so a service's document looks like the DMP's other documents.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from mock_server.seed.document_cast import Practitioner
from mock_server.seed.document_layout import fr_date, fr_long_date, fr_num, lab
from mock_server.seed.measure_timeline import PARIS, last_menstrual_period, surgery_day
from mock_server.simulation.generators.base import GeneratorContext
from mock_server.simulation.generators.stories import (
    DEFAULT_LABS,
    DEFAULT_STAY,
    DEFAULT_TREATMENT,
    LABS,
    STAYS,
    TREATMENTS,
)
from mock_server.simulation.world import component_values, observations, quantity, seed_anchor


@dataclass(frozen=True)
class Text:
    """A document's title, body and (for a stay) the period of the act."""

    title: str
    body: list[str]
    act_start: datetime | None = None
    act_end: datetime | None = None


Write = Callable[[GeneratorContext, Practitioner], Text]


@dataclass(frozen=True)
class Template:
    """A kind of document: its DMP type code, who writes it, how."""

    type_code: str
    role: str
    is_doctor: bool
    write: Write


def _latest(ctx: GeneratorContext, key: str) -> dict | None:
    found = observations(ctx.conn, ctx.facts.id, key, before=ctx.at)
    return found[0] if found else None


def vitals_line(ctx: GeneratorContext) -> str:
    """« Poids 71,2 kg ; tension 118/72 mmHg ; pouls 84/min » from the latest measures."""
    parts = []
    weight = _latest(ctx, "body_weight")
    if weight and quantity(weight) is not None:
        parts.append(f"poids {fr_num(quantity(weight) or 0, 1)} kg")
    pressure = _latest(ctx, "blood_pressure")
    values = component_values(pressure) if pressure else []
    if len(values) == 2:
        parts.append(f"tension {values[0]:.0f}/{values[1]:.0f} mmHg")
    pulse = _latest(ctx, "heart_rate")
    if pulse and quantity(pulse) is not None:
        parts.append(f"pouls {quantity(pulse):.0f}/min")
    if not parts:
        return "Constantes : non transmises."
    text = " ; ".join(parts)
    return f"Constantes : {text[0].upper()}{text[1:]}."


def _weeks_of_pregnancy(ctx: GeneratorContext) -> tuple[int, int] | None:
    anchor = seed_anchor(ctx.conn)
    if ctx.facts.profile != "pregnancy" or anchor is None:
        return None
    days = (ctx.at.astimezone(PARIS).date() - last_menstrual_period(anchor)).days
    return days // 7, days % 7


def _sa(weeks: tuple[int, int]) -> str:
    return f"{weeks[0]} SA + {weeks[1]} j" if weeks[1] else f"{weeks[0]} SA"


def _local(ctx: GeneratorContext) -> datetime:
    return ctx.at.astimezone(PARIS)


# --- hospital stay -----------------------------------------------------------------------------


def admission(ctx: GeneratorContext, author: Practitioner) -> Text:
    stay = STAYS.get(ctx.facts.profile, DEFAULT_STAY)
    return Text("Compte rendu d'admission", [
        f"Service : {stay.unit}.",
        f"Admission le {fr_long_date(_local(ctx))} à {_local(ctx):%Hh%M} pour {stay.reason}.",
        "",
        "Examen d'entrée :",
        vitals_line(ctx),
        *(f"  - {line}" for line in stay.findings),
        "",
        "Conduite à tenir :",
        *(f"  - {line}" for line in stay.care),
        f"Durée prévisible du séjour : {stay.days} jours.",
    ], act_start=ctx.at)


def stay_report(ctx: GeneratorContext, author: Practitioner) -> Text:
    stay = STAYS.get(ctx.facts.profile, DEFAULT_STAY)
    start = ctx.at - timedelta(days=stay.days)
    return Text("Compte rendu d'hospitalisation", [
        f"Service : {stay.unit}.",
        f"Séjour du {fr_date(start)} au {fr_date(ctx.at)}.",
        f"Motif : {stay.reason}.",
        "",
        "Histoire et examens :",
        *(f"  - {line}" for line in stay.findings),
        "",
        "Prise en charge :",
        *(f"  - {line}" for line in stay.care),
        "",
        f"Évolution : {stay.outcome}",
        vitals_line(ctx),
    ], act_start=start, act_end=ctx.at)


def discharge_letter(ctx: GeneratorContext, author: Practitioner) -> Text:
    stay = STAYS.get(ctx.facts.profile, DEFAULT_STAY)
    treatment = TREATMENTS.get(ctx.facts.profile, DEFAULT_TREATMENT)
    return Text("Lettre de liaison à la sortie", [
        "Cher confrère, chère consœur,",
        f"Votre patient(e) sort ce jour, {fr_long_date(_local(ctx))}, du {stay.unit.lower()} "
        f"où il (elle) était hospitalisé(e) pour {stay.reason}.",
        f"Évolution : {stay.outcome}",
        "",
        "Traitement de sortie :",
        *(f"  - {name} : {dose}" for name, dose, _ in treatment),
        "",
        "Suites à prévoir :",
        *(f"  - {line}" for line in stay.advice),
        "",
        "Bien confraternellement.",
    ], act_end=ctx.at)


# --- consultations ---------------------------------------------------------------------------


def teleconsultation(ctx: GeneratorContext, author: Practitioner) -> Text:
    weeks = _weeks_of_pregnancy(ctx)
    reason = (f"suivi de grossesse à {_sa(weeks)}" if weeks else
              {"diabetes": "suivi du diabète de type 2",
               "child": "toux et gêne respiratoire nocturnes",
               "autonomy": "suivi de l'hypertension artérielle",
               "discharged": "suivi après prothèse totale du genou droit"}.get(
                  ctx.facts.profile, "fatigue et maux de tête depuis une semaine"))
    return Text("Compte rendu de téléconsultation", [
        f"Téléconsultation par vidéotransmission le {fr_long_date(_local(ctx))} à "
        f"{_local(ctx):%Hh%M}, patient(e) à son domicile.",
        f"Motif : {reason}.",
        "",
        "Éléments recueillis :",
        vitals_line(ctx) + " (mesures transmises par le patient)",
        "  - Pas de signe de gravité à l'interrogatoire.",
        "",
        "Conclusion : situation stable ; poursuite de la prise en charge en cours.",
        "Une consultation en présentiel sera proposée si les symptômes persistent ou s'aggravent.",
    ])


def prenatal_consultation(ctx: GeneratorContext, author: Practitioner) -> Text:
    weeks = _weeks_of_pregnancy(ctx)
    if weeks is None:
        return teleconsultation(ctx, author)
    height = 4 * (weeks[0] // 4) - 2
    return Text(f"Consultation prénatale à {_sa(weeks)}", [
        f"Grossesse de {_sa(weeks)}, évolution normale.",
        vitals_line(ctx),
        f"Hauteur utérine : {height} cm ; bruits du cœur fœtal perçus, mouvements actifs.",
        "Bandelette urinaire : pas de protéinurie, pas de glycosurie.",
        "",
        "Conduite à tenir :",
        "  - Poursuite de la supplémentation en fer.",
        "  - Prochaine consultation dans 4 semaines ; échographie du 3e trimestre à programmer.",
        "  - Préparation à la naissance : séances en cours.",
    ])


def ultrasound(ctx: GeneratorContext, author: Practitioner) -> Text:
    weeks = _weeks_of_pregnancy(ctx)
    if weeks is None:
        return Text("Échographie abdominale", [
            "Indication : douleurs abdominales.",
            "Foie, vésicule, voies biliaires, reins et rate sans anomalie.",
            "Conclusion : échographie abdominale normale.",
        ])
    weight = 1000 + 190 * max(0, weeks[0] - 28) + ctx.rng.randint(-60, 60)
    return Text("Échographie obstétricale du 3e trimestre", [
        f"Terme : {_sa(weeks)}. Grossesse monofœtale évolutive, présentation céphalique.",
        "Biométries :",
        f"  BIP {75 + max(0, weeks[0] - 28) * 2} mm ; PC {270 + max(0, weeks[0] - 28) * 7} mm ; "
        f"PA {245 + max(0, weeks[0] - 28) * 9} mm ; LF {53 + max(0, weeks[0] - 28) * 2} mm.",
        f"Estimation du poids fœtal : {weight} g (autour du 50e percentile).",
        "Placenta antérieur, non bas inséré ; liquide amniotique en quantité normale.",
        "Conclusion : croissance fœtale harmonieuse, morphologie sans anomalie visible.",
    ])


def postop_followup(ctx: GeneratorContext, author: Practitioner) -> Text:
    anchor = seed_anchor(ctx.conn)
    if ctx.facts.profile != "discharged" or anchor is None:
        return teleconsultation(ctx, author)
    day = (_local(ctx).date() - surgery_day(anchor)).days
    flexion = min(120, 70 + 2 * day)
    return Text(f"Consultation de suivi à J{day} d'une prothèse totale de genou droit", [
        f"Intervention le {fr_date(surgery_day(anchor))} ; suites simples.",
        f"Cicatrice propre, genou sec. Flexion {flexion}°, extension complète.",
        "Marche avec une canne, périmètre de marche en progression.",
        vitals_line(ctx),
        "",
        "Conduite à tenir : poursuite de la kinésithérapie, anticoagulation préventive jusqu'à "
        "J35, reprise de la conduite automobile à discuter à 6 semaines.",
    ])


def knee_xray(ctx: GeneratorContext, author: Practitioner) -> Text:
    return Text("Radiographie du genou droit (face et profil)", [
        "Indication : contrôle de prothèse totale de genou.",
        "Implants fémoral et tibial en place, bien alignés ; pas de liseré ni de descellement.",
        "Pas d'épanchement visible, pas de fracture péri-prothétique.",
        "Conclusion : contrôle satisfaisant.",
    ])


# --- pharmacy, prevention, laboratory, monitoring --------------------------------------------


def dispensation(ctx: GeneratorContext, author: Practitioner) -> Text:
    treatment = TREATMENTS.get(ctx.facts.profile, DEFAULT_TREATMENT)
    return Text("Dispensation médicamenteuse", [
        f"Délivrance du {fr_date(_local(ctx))} sur ordonnance en cours de validité.",
        "",
        *(f"  - {name} — {quantity_} ({dose})" for name, dose, quantity_ in treatment),
        "",
        "Conseils donnés : observance, conservation, effets indésirables à signaler.",
        "Dossier pharmaceutique mis à jour.",
    ])


def prescription(ctx: GeneratorContext, author: Practitioner) -> Text:
    treatment = TREATMENTS.get(ctx.facts.profile, DEFAULT_TREATMENT)
    return Text("Ordonnance", [
        f"Fait le {fr_date(_local(ctx))}, à l'issue d'une téléconsultation.",
        "",
        *(f"  {index}. {name} : {dose}. Quantité : {qty}."
          for index, (name, dose, qty) in enumerate(treatment, start=1)),
        "",
        "Ordonnance valable 3 mois, à renouveler une fois.",
    ])


def vaccination(ctx: GeneratorContext, author: Practitioner) -> Text:
    local = _local(ctx)
    weeks = _weeks_of_pregnancy(ctx)
    if weeks and weeks[0] >= 20:
        vaccine = "Vaccin coquelucheux acellulaire associé (dTcaP), 0,5 mL"
        reason = f"protection du nouveau-né contre la coqueluche (grossesse de {_sa(weeks)})"
    elif local.month in (10, 11, 12, 1):
        vaccine = "Vaccin grippal inactivé quadrivalent, 0,5 mL"
        reason = "campagne de vaccination contre la grippe saisonnière"
    else:
        vaccine = "Vaccin diphtérie-tétanos-poliomyélite (dTP), 0,5 mL"
        reason = "rappel selon le calendrier vaccinal"
    batch = f"{ctx.rng.choice('ABCDEFGHJKLMN')}{ctx.rng.randint(100, 999)}{ctx.rng.choice('XYZ')}"
    return Text("Certificat de vaccination", [
        f"Vaccination réalisée le {fr_date(local)} à {local:%Hh%M}.",
        f"Indication : {reason}.",
        f"Produit : {vaccine} ; lot {batch}.",
        "Voie intramusculaire, deltoïde gauche. Pas de réaction immédiate après 15 minutes.",
        "Inscrit au carnet de vaccination.",
    ])


def prevention_check(ctx: GeneratorContext, author: Practitioner) -> Text:
    waist = _latest(ctx, "waist_circumference")
    lines = [
        f"Bilan de prévention réalisé le {fr_date(_local(ctx))} (« Mon bilan prévention »).",
        vitals_line(ctx),
    ]
    if waist and quantity(waist) is not None:
        lines.append(f"Tour de taille : {quantity(waist):.0f} cm.")
    lines += [
        "",
        "Points abordés : activité physique, alimentation, sommeil, consommation d'alcool et de "
        "tabac, santé mentale, dépistages recommandés pour l'âge.",
        "",
        "Plan personnalisé de prévention :",
        "  - 30 minutes de marche rapide 5 jours par semaine.",
        "  - Dépistages à jour ; prochain bilan dans 5 ans.",
    ]
    return Text("Compte rendu de bilan de prévention", lines)


def biology(ctx: GeneratorContext, author: Practitioner) -> Text:
    rows = LABS.get(ctx.facts.profile, DEFAULT_LABS)
    lines = [f"Prélèvement du {fr_date(_local(ctx))} à {_local(ctx):%Hh%M}, à jeun.", ""]
    for label, low, high, decimals, unit, ref_low, ref_high in rows:
        lines.append(lab(label, round(ctx.rng.uniform(low, high), decimals), decimals, unit,
                         ref_low, ref_high))
    lines += ["", "Résultats validés par le biologiste."]
    return Text("Compte rendu d'examens biologiques", lines)


def monitoring_report(ctx: GeneratorContext, author: Practitioner) -> Text:
    month = observations(ctx.conn, ctx.facts.id, "body_weight", before=ctx.at,
                         since=ctx.at - timedelta(days=30), limit=60)
    weights = [v for v in (quantity(o) for o in month) if v is not None]
    trend = (f"Poids : {len(weights)} pesées, de {fr_num(weights[-1], 1)} à "
             f"{fr_num(weights[0], 1)} kg." if len(weights) >= 2 else
             "Poids : pas assez de pesées transmises ce mois-ci.")
    return Text("Compte rendu de télésurveillance", [
        f"Période : 30 jours jusqu'au {fr_date(_local(ctx))}.",
        trend,
        vitals_line(ctx),
        "Aucune alerte de prise de poids rapide ni d'hypotension.",
        "Conclusion : pas de signe de décompensation ; télésurveillance poursuivie.",
    ])


TEMPLATES: dict[str, Template] = {
    "admission": Template("67851-6", "médecin hospitalier", True, admission),
    "sejour": Template("34112-3", "médecin hospitalier", True, stay_report),
    "lettre_sortie": Template("11490-0", "médecin hospitalier", True, discharge_letter),
    "teleconsultation": Template("85208-7", "médecin", True, teleconsultation),
    "consultation_prenatale": Template("11488-4", "sage-femme", False, prenatal_consultation),
    "echographie": Template("18748-4", "médecin échographiste", True, ultrasound),
    "suivi_post_op": Template("11488-4", "chirurgien orthopédiste", True, postop_followup),
    "radio_controle": Template("18748-4", "radiologue", True, knee_xray),
    "dispensation": Template("60593-1", "pharmacien", True, dispensation),
    "ordonnance": Template("57833-6", "médecin", True, prescription),
    "vaccination": Template("75482-0", "pharmacien", True, vaccination),
    "bilan_prevention": Template("75492-9", "médecin", True, prevention_check),
    "biologie": Template("11502-2", "biologiste médical", True, biology),
    "telesurveillance": Template("85208-7", "cardiologue", True, monitoring_report),
}
"""Template name (used in behaviours.yaml) -> template."""
