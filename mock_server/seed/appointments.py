"""Past and upcoming appointments per persona: French care pathways that match their measures.

Each persona's plan lists its visits over about six months back and three ahead; the story dates
(pregnancy, surgery, fever, infection) come from `measure_timeline`, the professionals' names and
the slots from the persona's random stream (`appointment_people`, `appointment_schedule`).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta

from mock_server.seed.appointment_calendar import is_working_day
from mock_server.seed.appointment_people import (
    ANESTHESISTE,
    CHIRURGIEN_ORTHO,
    DENTISTE,
    DIABETOLOGUE,
    DIETETICIENNE,
    ECHOGRAPHISTE,
    GENERALISTE,
    GERIATRE,
    GYNECOLOGUE,
    INFIRMIERE,
    KINE,
    OPHTALMOLOGUE,
    PEDIATRE,
    PNEUMO_PEDIATRE,
    PODOLOGUE,
    RADIOLOGUE,
    SAGE_FEMME,
    CareTeam,
)
from mock_server.seed.appointment_schedule import LAB_HOURS, Visit, appointment, schedule
from mock_server.seed.measure_signals import each_day
from mock_server.seed.measure_timeline import (
    AGENDA_AHEAD_DAYS,
    AGENDA_PAST_DAYS,
    anchor_day,
    discharge_day,
    fever_start,
    infection_day,
    last_menstrual_period,
    surgery_day,
)
from mock_server.seed.patients import SeedPatient, seeded_uuid

Plan = Callable[[random.Random, datetime], list[Visit]]

PRESCRIPTION = "Apporter l'ordonnance et la carte Vitale."
FASTING = "À jeun depuis 12 heures. " + PRESCRIPTION
HOUSE_CALLS = (time(13, 30), time(18, 0))
AFTER_SCHOOL = (time(16, 30), time(19, 0))

_BIRTH_CLASSES = (
    "la grossesse au quotidien",
    "le travail et l'accouchement",
    "respiration, postures et gestion de la douleur",
    "l'allaitement et l'alimentation du bébé",
    "les premiers jours avec le bébé",
    "le retour à la maison et la visite de la maternité",
)
"""Sessions 2 to 7 of the French préparation à la naissance (session 1 is the early interview)."""


def build_appointments(rng: random.Random, patient: SeedPatient, anchor: datetime) -> list[dict]:
    """The patient's Appointments, in start order."""
    visits = _PLANS[patient.persona.key](rng, anchor)
    timed = sorted(((schedule(rng, v, anchor), v) for v in visits), key=lambda p: p[0].start)
    return [appointment(seeded_uuid(rng), patient, visit, timing) for timing, visit in timed]


def _on(anchor: datetime, offset: int) -> date:
    """The day `offset` days from the anchor's day (negative: in the past)."""
    return anchor_day(anchor) + timedelta(days=offset)


def _every(first: date, last: date, step: int) -> Iterator[date]:
    """`first`, then every `step` days up to `last` included."""
    return (day for day in each_day(first, last) if (day - first).days % step == 0)


def _weekdays(first: date, last: date, weekdays: tuple[int, ...]) -> Iterator[date]:
    """The working days among `weekdays` (0 = Monday): a series skips holidays, not shifts them."""
    return (
        day for day in each_day(first, last) if day.weekday() in weekdays and is_working_day(day)
    )


def _pregnancy(rng: random.Random, anchor: datetime) -> list[Visit]:
    """Declaration, three ultrasounds, monthly prenatal visits, glucose test, birth classes."""
    team = CareTeam(rng)
    lmp = last_menstrual_period(anchor)

    def sa(weeks: int, days: int = 0) -> date:
        """A date in weeks of amenorrhoea (SA), as French obstetrics counts."""
        return lmp + timedelta(weeks=weeks, days=days)

    maternity = team.place("Maternité")
    lab = team.place("Laboratoire de biologie médicale")
    gp = team.professional(GENERALISTE, team.place("Cabinet médical"))
    obstetrician = team.professional(GYNECOLOGUE, maternity)
    midwife = team.professional(SAGE_FEMME, maternity)
    sonographer = team.professional(ECHOGRAPHISTE, team.place("Centre d'imagerie médicale"))
    anaesthetist = team.professional(ANESTHESISTE, maternity)
    visits = [
        Visit(
            sa(7, 2),
            gp,
            "Consultation de médecine générale",
            "Confirmation de la grossesse et déclaration de grossesse",
            20,
        ),
        Visit(
            sa(8, 3),
            lab,
            "Prise de sang",
            "Bilan du premier trimestre : groupe sanguin, sérologies (toxoplasmose, rubéole)",
            15,
            hours=LAB_HOURS,
            instruction=PRESCRIPTION,
        ),
        Visit(
            sa(12, 4),
            sonographer,
            "Échographie du 1er trimestre",
            "Échographie de datation et mesure de la clarté nucale",
            30,
        ),
        Visit(
            sa(13, 1),
            lab,
            "Prise de sang",
            "Dépistage combiné de la trisomie 21 (marqueurs sériques)",
            10,
            hours=LAB_HOURS,
        ),
        Visit(
            sa(15, 2),
            midwife,
            "Entretien prénatal précoce",
            "Entretien prénatal précoce avec la sage-femme : projet de naissance, besoins, soutien",
            45,
        ),
        Visit(
            sa(22, 3),
            sonographer,
            "Échographie du 2e trimestre",
            "Échographie morphologique du 2e trimestre",
            45,
        ),
        Visit(
            sa(26, 1),
            lab,
            "Test de tolérance au glucose",
            "Hyperglycémie provoquée par voie orale (HGPO, 75 g de glucose) : dépistage du "
            "diabète gestationnel",
            150,
            hours=(time(7, 30), time(10, 30)),
            instruction="Venir à jeun. Prévoir 2 h 30 sur place, au repos.",
        ),
        Visit(
            sa(32, 1),
            sonographer,
            "Échographie du 3e trimestre",
            "Échographie du 3e trimestre : croissance du bébé, position, placenta",
            30,
            instruction="Apporter les comptes rendus des échographies précédentes.",
        ),
        Visit(
            sa(33, 3),
            anaesthetist,
            "Consultation d'anesthésie",
            "Consultation pré-anesthésique avant l'accouchement (péridurale)",
            20,
            request=True,
        ),
    ]
    # One prenatal consultation a month from the 4th month, obstetrician and midwife in turn.
    for month, weeks in ((4, 16), (5, 20), (6, 24), (7, 28), (8, 33), (9, 37)):
        visits.append(
            Visit(
                sa(weeks, 2),
                obstetrician if month % 2 == 0 else midwife,
                "Consultation prénatale",
                f"Consultation prénatale du {month}e mois : tension, poids, hauteur utérine, "
                "bruits du cœur du bébé",
                30,
                request=month == 9,
            )
        )
    # Not immune to toxoplasmosis: a serology every month until the birth.
    for weeks in range(17, 38, 4):
        visits.append(
            Visit(
                sa(weeks, 1),
                lab,
                "Prise de sang",
                "Sérologie toxoplasmose mensuelle",
                10,
                hours=LAB_HOURS,
                routine=True,
            )
        )
    for n, topic in enumerate(_BIRTH_CLASSES, start=2):
        visits.append(
            Visit(
                sa(29, 2) + timedelta(weeks=n - 2),
                midwife,
                "Préparation à la naissance",
                f"Séance {n} sur 7 de préparation à la naissance et à la parentalité : {topic}",
                120,
                at=time(14, 0),
                routine=True,
                booked_on=sa(24, 2),
                request=n >= 5,
            )
        )
    return visits


def _diabetes(rng: random.Random, anchor: datetime) -> list[Visit]:
    """Quarterly HbA1c and diabetologist, GP renewals, dietitian, podiatrist, yearly fundus."""
    team = CareTeam(rng)
    diabetologist = team.professional(DIABETOLOGUE, team.place("Centre hospitalier"))
    lab = team.place("Laboratoire de biologie médicale")
    gp = team.professional(GENERALISTE, team.place("Cabinet médical"))
    ophthalmologist = team.professional(OPHTALMOLOGUE, team.place("Centre ophtalmologique"))
    podiatrist = team.professional(PODOLOGUE, team.place("Cabinet de podologie"))
    dietitian = team.professional(DIETETICIENNE, team.place("Maison de santé"))
    visits = []
    # Quarterly follow-up since the treatment was changed when the measure history starts.
    for offset in (-110, -20, 70):
        visits += [
            Visit(
                _on(anchor, offset - 7),
                lab,
                "Bilan sanguin",
                "Bilan trimestriel du diabète : HbA1c et glycémie à jeun",
                10,
                hours=LAB_HOURS,
                instruction=FASTING,
            ),
            Visit(
                _on(anchor, offset),
                diabetologist,
                "Consultation de diabétologie",
                "Suivi trimestriel du diabète de type 2 : HbA1c, carnet de glycémies, traitement",
                30,
            ),
        ]
    visits += [
        Visit(
            _on(anchor, offset),
            gp,
            "Consultation de médecine générale",
            "Renouvellement de l'ordonnance et contrôle de la tension artérielle",
            20,
            routine=True,
        )
        for offset in (-165, -95, -45, 12, 75)
    ]
    visits += [
        Visit(
            _on(anchor, offset),
            dietitian,
            "Consultation diététique",
            "Équilibre alimentaire et perte de poids : bilan du carnet alimentaire",
            45,
            routine=True,
        )
        for offset in (-170, -140, -100)
    ]
    visits += [
        Visit(
            _on(anchor, offset),
            podiatrist,
            "Soins de podologie",
            "Examen des pieds et soins de pédicurie (pied diabétique, grade 1)",
            45,
            routine=True,
            request=offset > 0,
        )
        for offset in (-135, -45, 45)
    ]
    visits.append(
        Visit(
            _on(anchor, 41),
            ophthalmologist,
            "Consultation d'ophtalmologie",
            "Fond d'œil annuel : dépistage de la rétinopathie diabétique",
            30,
            booked_on=_on(anchor, -150),
            instruction="Venir accompagné : après la dilatation des pupilles, pas de conduite.",
        )
    )
    return visits


def _autonomy(rng: random.Random, anchor: datetime) -> list[Visit]:
    """GP house calls, the nurse every week, physiotherapy, a geriatric assessment."""
    team = CareTeam(rng)
    gp = team.professional(GENERALISTE, team.place("Cabinet médical"))
    nurse = team.professional(INFIRMIERE, team.place("Cabinet infirmier"))
    physio = team.professional(KINE, team.place("Cabinet de kinésithérapie"))
    geriatrician = team.professional(GERIATRE, team.place("Hôpital de jour gériatrique"))
    first, last = _on(anchor, -AGENDA_PAST_DAYS), _on(anchor, AGENDA_AHEAD_DAYS)
    visits = [
        Visit(
            _on(anchor, offset),
            gp,
            "Visite à domicile",
            "Visite à domicile du médecin traitant : tension, poids, renouvellement du traitement",
            30,
            hours=HOUSE_CALLS,
            routine=True,
        )
        for offset in range(-175, AGENDA_AHEAD_DAYS, 30)
    ]
    sick = infection_day(anchor)
    visits.append(
        Visit(
            sick,
            gp,
            "Visite à domicile",
            "Visite à domicile : fièvre et brûlures urinaires",
            30,
            hours=HOUSE_CALLS,
            any_day=True,
            booked_on=sick,
        )
    )
    visits += [
        Visit(
            day,
            nurse,
            "Soins infirmiers à domicile",
            "Préparation du pilulier de la semaine et surveillance (tension, poids)",
            20,
            at=time(8, 15),
            any_day=True,
            routine=True,
            booked_on=first - timedelta(days=3),
        )
        for day in _every(first + timedelta(days=(1 - first.weekday()) % 7), last, 7)
    ]
    physio_start = _on(anchor, -120)
    visits += [
        Visit(
            day,
            physio,
            "Kinésithérapie à domicile",
            "Rééducation de l'équilibre et de la marche, prévention des chutes",
            30,
            at=time(10, 30),
            routine=True,
            booked_on=physio_start - timedelta(days=4),
        )
        for day in _weekdays(physio_start, last, (3,))
    ]
    visits += [
        Visit(
            _on(anchor, -130),
            geriatrician,
            "Évaluation gériatrique",
            "Évaluation gériatrique standardisée en hôpital de jour : autonomie, nutrition, "
            "mémoire, risque de chute",
            180,
            at=time(9, 0),
            instruction="Apporter la liste des médicaments et les dernières ordonnances.",
        ),
        Visit(
            _on(anchor, 40),
            geriatrician,
            "Évaluation gériatrique",
            "Réévaluation gériatrique : perte de poids et baisse de l'activité",
            120,
            at=time(9, 0),
            request=True,
        ),
    ]
    return visits


def _parent(rng: random.Random, anchor: datetime) -> list[Visit]:
    """GP, dentist, ophthalmologist; a yearly gynaecology visit to confirm."""
    team = CareTeam(rng)
    gp = team.professional(GENERALISTE, team.place("Cabinet médical"))
    dentist = team.professional(DENTISTE, team.place("Cabinet dentaire"))
    ophthalmologist = team.professional(OPHTALMOLOGUE, team.place("Centre ophtalmologique"))
    gynaecologist = team.professional(GYNECOLOGUE, team.place("Cabinet médical"))
    return [
        Visit(
            _on(anchor, -150), gp, "Consultation de médecine générale", "Consultation : angine", 20
        ),
        Visit(
            _on(anchor, -100),
            dentist,
            "Consultation dentaire",
            "Contrôle annuel et détartrage",
            30,
            routine=True,
        ),
        Visit(_on(anchor, -93), dentist, "Soins dentaires", "Soin d'une carie", 45),
        Visit(
            _on(anchor, -60),
            ophthalmologist,
            "Consultation d'ophtalmologie",
            "Contrôle de la vue et renouvellement de la prescription de lunettes",
            20,
            routine=True,
        ),
        Visit(
            _on(anchor, -40),
            gp,
            "Consultation de médecine générale",
            "Certificat médical de non-contre-indication à la course à pied",
            15,
            routine=True,
        ),
        Visit(
            _on(anchor, 50),
            dentist,
            "Soins dentaires",
            "Remplacement d'un ancien plombage",
            45,
            routine=True,
        ),
        Visit(
            _on(anchor, 70),
            gynaecologist,
            "Consultation de gynécologie",
            "Suivi gynécologique annuel et frottis de dépistage",
            30,
            request=True,
        ),
    ]


def _child(rng: random.Random, anchor: datetime) -> list[Visit]:
    """Pediatrician (follow-up, fever, flu vaccine) and the pediatric lung specialist for asthma."""
    team = CareTeam(rng)
    pediatrician = team.professional(PEDIATRE, team.place("Cabinet de pédiatrie"))
    pulmonologist = team.professional(PNEUMO_PEDIATRE, team.place("Centre hospitalier"))
    sick = fever_start(anchor) + timedelta(days=1)
    return [
        Visit(
            _on(anchor, -160),
            pediatrician,
            "Consultation de pédiatrie",
            "Suivi de la croissance et de l'asthme",
            30,
            hours=AFTER_SCHOOL,
            routine=True,
        ),
        Visit(
            _on(anchor, -120),
            pulmonologist,
            "Consultation de pneumo-pédiatrie",
            "Suivi de l'asthme : explorations fonctionnelles respiratoires (EFR)",
            60,
        ),
        Visit(
            sick,
            pediatrician,
            "Consultation de pédiatrie",
            "Fièvre à 39 °C depuis la veille, toux",
            20,
            at=time(17, 45),
            booked_on=sick,
        ),
        Visit(
            _on(anchor, -28),
            pediatrician,
            "Vaccination",
            "Vaccination contre la grippe saisonnière (enfant asthmatique)",
            15,
            hours=AFTER_SCHOOL,
        ),
        Visit(
            _on(anchor, 30),
            pulmonologist,
            "Consultation de pneumo-pédiatrie",
            "Suivi de l'asthme avant l'hiver et adaptation du traitement de fond",
            30,
            booked_on=_on(anchor, -120),
        ),
        Visit(
            _on(anchor, 60),
            pediatrician,
            "Consultation de pédiatrie",
            "Bilan de santé et certificat pour la pratique du sport",
            30,
            hours=AFTER_SCHOOL,
            request=True,
        ),
    ]


def _discharged(rng: random.Random, anchor: datetime) -> list[Visit]:
    """The path to the knee replacement, then home care: dressings, physiotherapy three times a
    week, the surgeon's check at six weeks."""
    team = CareTeam(rng)
    surgery, home = surgery_day(anchor), discharge_day(anchor)
    clinic = team.place("Clinique")
    surgeon = team.professional(CHIRURGIEN_ORTHO, clinic)
    anaesthetist = team.professional(ANESTHESISTE, clinic)
    radiologist = team.professional(RADIOLOGUE, team.place("Centre d'imagerie médicale"))
    lab = team.place("Laboratoire de biologie médicale")
    gp = team.professional(GENERALISTE, team.place("Cabinet médical"))
    physio = team.professional(KINE, team.place("Cabinet de kinésithérapie"))
    nurse = team.professional(INFIRMIERE, team.place("Cabinet infirmier"))
    check = surgery + timedelta(weeks=6)
    staples = surgery + timedelta(days=14)
    visits = [
        Visit(
            _on(anchor, -170),
            gp,
            "Consultation de médecine générale",
            "Douleurs du genou droit : demande d'avis chirurgical",
            20,
        ),
        Visit(
            _on(anchor, -160),
            radiologist,
            "Radiographie",
            "Radiographie des deux genoux en charge",
            20,
        ),
        Visit(
            _on(anchor, -150),
            surgeon,
            "Consultation de chirurgie orthopédique",
            "Gonarthrose du genou droit : indication de prothèse totale",
            30,
            instruction="Apporter les radiographies.",
        ),
        Visit(
            surgery - timedelta(days=30),
            surgeon,
            "Consultation de chirurgie orthopédique",
            "Consultation pré-opératoire : déroulement de l'intervention et consentement",
            20,
        ),
        Visit(
            surgery - timedelta(days=25),
            anaesthetist,
            "Consultation d'anesthésie",
            "Consultation pré-anesthésique avant prothèse totale du genou",
            20,
        ),
        Visit(
            surgery - timedelta(days=8),
            lab,
            "Bilan sanguin",
            "Bilan sanguin pré-opératoire",
            10,
            hours=LAB_HOURS,
            instruction=FASTING,
        ),
        Visit(
            home + timedelta(days=12),
            gp,
            "Consultation de médecine générale",
            "Consultation de suivi après l'hospitalisation",
            20,
            booked_on=home,
        ),
        Visit(
            staples,
            nurse,
            "Soins infirmiers à domicile",
            "Ablation des agrafes (J14)",
            20,
            at=time(8, 30),
            any_day=True,
            booked_on=home,
        ),
        Visit(
            check,
            radiologist,
            "Radiographie",
            "Radiographie de contrôle du genou droit opéré",
            15,
            at=time(9, 0),
        ),
        Visit(
            check,
            surgeon,
            "Consultation post-opératoire",
            "Consultation post-opératoire à 6 semaines : cicatrice, mobilité, radiographie",
            20,
            at=time(10, 0),
        ),
    ]
    visits += [
        Visit(
            day,
            nurse,
            "Soins infirmiers à domicile",
            "Réfection du pansement et surveillance de la cicatrice",
            20,
            at=time(8, 30),
            any_day=True,
            booked_on=home,
        )
        for day in _every(home + timedelta(days=1), staples - timedelta(days=2), 2)
    ]
    # Sessions after the surgeon's check wait for his go-ahead: they are still requests.
    visits += [
        Visit(
            day,
            physio,
            "Kinésithérapie",
            "Rééducation après prothèse totale du genou droit : flexion, marche, renforcement",
            45,
            at=time(17, 30),
            routine=True,
            booked_on=home,
            request=day > check,
        )
        for day in _weekdays(home + timedelta(days=1), _on(anchor, 60), (0, 2, 4))
    ]
    return visits


_PLANS: dict[str, Plan] = {
    "pregnancy": _pregnancy,
    "diabetes": _diabetes,
    "autonomy": _autonomy,
    "parent": _parent,
    "child": _child,
    "discharged": _discharged,
}
