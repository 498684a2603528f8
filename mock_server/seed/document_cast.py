"""The care teams who write the synthetic documents: one team per persona, in the persona's region.

Places are invented (no real establishment signs a synthetic document); names are drawn from the
documents' random stream, unique across the population, so a patient meets the same doctor in
every document that doctor writes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

_FEMALE_GIVEN = (
    "Claire", "Isabelle", "Nathalie", "Émilie", "Hélène", "Anne", "Sandrine", "Laure", "Céline",
    "Aurélie", "Marion", "Élodie", "Julie", "Agnès", "Florence", "Manon", "Pauline", "Caroline",
    "Virginie", "Mathilde", "Inès", "Sarah", "Louise", "Amandine", "Delphine",
)
_MALE_GIVEN = (
    "Julien", "Nicolas", "François", "Olivier", "Antoine", "Mathieu", "Pierre", "Laurent",
    "Stéphane", "Vincent", "Guillaume", "Hugo", "Benoît", "Éric", "Xavier", "Yannick", "Mehdi",
    "Rachid", "Thibault", "Jérôme", "Damien", "Romain", "Sébastien", "Alexandre", "Paul",
)
_FAMILY = (
    "Rousseau", "Lambert", "Fontaine", "Chevalier", "Robin", "Masson", "Marchand", "Perrin",
    "Garnier", "Faure", "Roussel", "Blanc", "Guérin", "Muller", "Henry", "Roux", "Colin", "Vidal",
    "Caron", "Picard", "Gauthier", "Lemoine", "Brunet", "Mercier", "Barbier", "Arnaud", "Giraud",
    "Dumas", "Nguyen", "Haddad", "Lacroix", "Meunier", "Schmitt", "Duval", "Renard", "Aubert",
    "Carpentier", "Bertin", "Marty", "Leclerc", "Noël", "Collet", "Bouvier", "Hamon", "Tessier",
    "Lebrun", "Poulain", "Baron", "Royer", "Delmas", "Ferrand", "Chauvin", "Benhamou", "Le Gall",
    "Jacquet", "Maillard", "Rivière", "Laurent", "Prévost", "Charpentier",
)

# role key -> (masculine title, feminine title, addressed as "Dr")
_ROLES: dict[str, tuple[str, str, bool]] = {
    "generaliste": ("médecin généraliste", "médecin généraliste", True),
    "gyneco": ("gynécologue-obstétricien", "gynécologue-obstétricienne", True),
    "sage_femme": ("sage-femme", "sage-femme", False),
    "echographiste": ("médecin échographiste", "médecin échographiste", True),
    "biologiste": ("biologiste médical", "biologiste médicale", True),
    "geneticien": ("biologiste généticien", "biologiste généticienne", True),
    "diabetologue": ("endocrinologue-diabétologue", "endocrinologue-diabétologue", True),
    "ophtalmologiste": ("ophtalmologiste", "ophtalmologiste", True),
    "gastroenterologue": ("gastro-entérologue", "gastro-entérologue", True),
    "pathologiste": ("médecin pathologiste", "médecin pathologiste", True),
    "pharmacien": ("pharmacien", "pharmacienne", True),
    "podologue": ("pédicure-podologue", "pédicure-podologue", False),
    "urgentiste": ("médecin urgentiste", "médecin urgentiste", True),
    "geriatre": ("gériatre", "gériatre", True),
    "infirmier": ("infirmier diplômé d'État", "infirmière diplômée d'État", False),
    "kine": ("masseur-kinésithérapeute", "masseur-kinésithérapeute", False),
    "evaluateur": ("infirmier évaluateur APA", "infirmière évaluatrice APA", False),
    "radiologue": ("radiologue", "radiologue", True),
    "pediatre": ("pédiatre", "pédiatre", True),
    "pediatre_urgentiste": ("pédiatre urgentiste", "pédiatre urgentiste", True),
    "pneumopediatre": ("pneumo-pédiatre", "pneumo-pédiatre", True),
    "chirurgien": ("chirurgien orthopédiste", "chirurgienne orthopédiste", True),
    "anesthesiste": ("anesthésiste-réanimateur", "anesthésiste-réanimatrice", True),
}

# persona key -> site key -> candidate places (the seed picks one)
_SITES: dict[str, dict[str, tuple[str, ...]]] = {
    "pregnancy": {
        "maternite": (
            "Maternité des Glycines, Paris 14e",
            "Maternité du Parc Montsouris, Paris 14e",
        ),
        "echographie": (
            "Centre d'échographie obstétricale Denfert, Paris 14e",
            "Cabinet d'échographie de la Tombe-Issoire, Paris 14e",
        ),
        "labo": (
            "Laboratoire de biologie médicale Biolab Alésia, Paris 14e",
            "Laboratoire Bio-Parc Montparnasse, Paris 15e",
        ),
        "genetique": (
            "Laboratoire de génétique moléculaire, Hôpital Saint-Jacques, Paris 5e",
            "Plateforme de génétique moléculaire, Hôpital des Gobelins, Paris 13e",
        ),
    },
    "diabetes": {
        "cabinet": (
            "Maison de santé pluriprofessionnelle Monplaisir, Lyon 8e",
            "Cabinet médical des États-Unis, Lyon 8e",
        ),
        "endocrino": (
            "Service d'endocrinologie-diabétologie, Hôpital du Val de Saône, Lyon 9e",
            "Clinique du Confluent, consultations de diabétologie, Lyon 2e",
        ),
        "ophtalmo": (
            "Centre ophtalmologique Bellecour, Lyon 2e",
            "Cabinet d'ophtalmologie Jean-Macé, Lyon 7e",
        ),
        "gastro": (
            "Clinique des Brotteaux, unité d'endoscopie digestive, Lyon 6e",
            "Clinique Saint-Exupéry, plateau d'endoscopie, Lyon 3e",
        ),
        "anapath": (
            "Cabinet d'anatomie et de cytologie pathologiques Rhône-Confluence, Lyon 2e",
            "Institut de pathologie des Terreaux, Lyon 1er",
        ),
        "labo": (
            "Laboratoire BioRhône Monplaisir, Lyon 8e",
            "Laboratoire de biologie médicale Lumière, Lyon 8e",
        ),
        "pharmacie": (
            "Pharmacie de la place Ambroise-Courtois, Lyon 8e",
            "Pharmacie du Bachut, Lyon 8e",
        ),
        "podologie": (
            "Cabinet de pédicurie-podologie Mermoz, Lyon 8e",
            "Cabinet de podologie Sans-Souci, Lyon 3e",
        ),
    },
    "autonomy": {
        "cabinet": (
            "Cabinet médical du Parc Barbieux, Roubaix",
            "Maison de santé des Trois-Ponts, Roubaix",
        ),
        "hopital": (
            "Centre hospitalier de l'Union, Roubaix",
            "Centre hospitalier du Pont-Rouge, Roubaix",
        ),
        "infirmier": (
            "Cabinet infirmier de l'Épeule, Roubaix",
            "Cabinet infirmier du Fresnoy, Roubaix",
        ),
        "kine": (
            "Cabinet de kinésithérapie du Nouveau Roubaix, Roubaix",
            "Cabinet de masso-kinésithérapie Sainte-Élisabeth, Roubaix",
        ),
        "pharmacie": (
            "Pharmacie de la Grand-Place, Roubaix",
            "Pharmacie du Boulevard de Fourmies, Roubaix",
        ),
        "apa": (
            "Département du Nord, équipe médico-sociale APA, Roubaix",
        ),
        "labo": (
            "Laboratoire Bio-Flandres, Roubaix",
            "Laboratoire de biologie médicale des Arts, Roubaix",
        ),
    },
    "parent": {
        "maternite": (
            "Maternité des Chartrons, Bordeaux",
            "Maternité Bel-Air, Bordeaux",
        ),
        "gyneco": (
            "Cabinet de gynécologie des Quinconces, Bordeaux",
            "Cabinet de gynécologie médicale Gambetta, Bordeaux",
        ),
        "imagerie": (
            "Centre d'imagerie médicale Mériadeck, Bordeaux",
            "Cabinet de radiologie du Jardin Public, Bordeaux",
        ),
        "labo": (
            "Laboratoire Bio-Garonne Saint-Seurin, Bordeaux",
            "Laboratoire de biologie médicale des Capucins, Bordeaux",
        ),
        "cabinet": (
            "Cabinet médical Saint-Seurin, Bordeaux",
            "Maison de santé de la Bastide, Bordeaux",
        ),
    },
    "child": {
        "cabinet": (
            "Cabinet de pédiatrie des Chartrons, Bordeaux",
            "Cabinet de pédiatrie de Caudéran, Bordeaux",
        ),
        "hopital": (
            "Hôpital des Enfants de la Garonne, Bordeaux",
            "Centre hospitalier pédiatrique de Pellegrin-Nord, Bordeaux",
        ),
        "pharmacie": (
            "Pharmacie des Chartrons, Bordeaux",
            "Pharmacie du Grand Parc, Bordeaux",
        ),
    },
    "discharged": {
        "clinique": (
            "Clinique orthopédique du Prado, Marseille 8e",
            "Clinique chirurgicale des Calanques, Marseille 9e",
        ),
        "imagerie": (
            "Cabinet de radiologie Castellane, Marseille 6e",
            "Centre d'imagerie médicale du Roucas, Marseille 7e",
        ),
        "labo": (
            "Laboratoire Bio-Provence Castellane, Marseille 6e",
            "Laboratoire de biologie médicale du Vieux-Port, Marseille 2e",
        ),
        "cabinet": (
            "Cabinet médical de la Plaine, Marseille 5e",
            "Maison de santé de Notre-Dame-du-Mont, Marseille 6e",
        ),
        "infirmier": (
            "Cabinet infirmier du Roucas-Blanc, Marseille 7e",
            "Cabinet infirmier de Périer, Marseille 8e",
        ),
    },
}

# persona key -> (member key, role key, site key)
_MEMBERS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "pregnancy": (
        ("gyneco", "gyneco", "maternite"),
        ("sage_femme", "sage_femme", "maternite"),
        ("echographiste", "echographiste", "echographie"),
        ("biologiste", "biologiste", "labo"),
        ("geneticien", "geneticien", "genetique"),
    ),
    "diabetes": (
        ("generaliste", "generaliste", "cabinet"),
        ("diabetologue", "diabetologue", "endocrino"),
        ("ophtalmologiste", "ophtalmologiste", "ophtalmo"),
        ("gastroenterologue", "gastroenterologue", "gastro"),
        ("pathologiste", "pathologiste", "anapath"),
        ("biologiste", "biologiste", "labo"),
        ("pharmacien", "pharmacien", "pharmacie"),
        ("podologue", "podologue", "podologie"),
    ),
    "autonomy": (
        ("generaliste", "generaliste", "cabinet"),
        ("urgentiste", "urgentiste", "hopital"),
        ("geriatre", "geriatre", "hopital"),
        ("infirmier", "infirmier", "infirmier"),
        ("kine", "kine", "kine"),
        ("pharmacien", "pharmacien", "pharmacie"),
        ("evaluateur", "evaluateur", "apa"),
        ("biologiste", "biologiste", "labo"),
    ),
    "parent": (
        ("sage_femme", "sage_femme", "maternite"),
        ("gyneco", "gyneco", "gyneco"),
        ("radiologue", "radiologue", "imagerie"),
        ("biologiste", "biologiste", "labo"),
        ("generaliste", "generaliste", "cabinet"),
    ),
    "child": (
        ("pediatre", "pediatre", "cabinet"),
        ("urgentiste", "pediatre_urgentiste", "hopital"),
        ("radiologue", "radiologue", "hopital"),
        ("pneumopediatre", "pneumopediatre", "hopital"),
        ("pharmacien", "pharmacien", "pharmacie"),
    ),
    "discharged": (
        ("chirurgien", "chirurgien", "clinique"),
        ("anesthesiste", "anesthesiste", "clinique"),
        ("radiologue_clinique", "radiologue", "clinique"),
        ("radiologue", "radiologue", "imagerie"),
        ("biologiste", "biologiste", "labo"),
        ("generaliste", "generaliste", "cabinet"),
        ("infirmier", "infirmier", "infirmier"),
    ),
}


@dataclass(frozen=True)
class Practitioner:
    """A health professional who writes documents, with the place they work at."""

    given: str
    family: str
    female: bool
    is_doctor: bool
    role: str
    place: str

    @property
    def name(self) -> str:
        """How the document names them: "Dr Claire Rousseau", "Mme Julie Perrin"."""
        civility = "Dr" if self.is_doctor else ("Mme" if self.female else "M.")
        return f"{civility} {self.given} {self.family}"

    @property
    def after_par(self) -> str:
        """The name as French writes it after "par" or "à": "le Dr Rousseau", "Mme Perrin"."""
        return f"le {self.name}" if self.is_doctor else self.name

    @property
    def after_de(self) -> str:
        """The name after "de", contracted: "du Dr Rousseau", "de Mme Perrin"."""
        return f"du {self.name}" if self.is_doctor else f"de {self.name}"

    @property
    def signature(self) -> str:
        return f"{self.name}, {self.role}"

    @property
    def author_display(self) -> str:
        """DocumentReference.author display: who, in which role, where."""
        return f"{self.signature} — {self.place}"


class NamePool:
    """Practitioner names without repeats: no two professionals of the population share one."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._families = rng.sample(_FAMILY, len(_FAMILY))
        self._given: set[str] = set()

    def draw(self) -> tuple[str, str, bool]:
        female = self._rng.random() < 0.55
        pool = self._unused(female) or self._unused(not female)
        female = pool[0] in _FEMALE_GIVEN
        given = self._rng.choice(pool)
        self._given.add(given)
        return given, self._families.pop(), female

    def _unused(self, female: bool) -> list[str]:
        return [g for g in (_FEMALE_GIVEN if female else _MALE_GIVEN) if g not in self._given]


CareTeam = dict[str, Practitioner]
"""member key (e.g. "generaliste", "chirurgien") -> practitioner."""


def care_team(rng: random.Random, names: NamePool, persona_key: str) -> CareTeam:
    """The professionals around one persona: a place per site, a name per member."""
    places = {site: rng.choice(options) for site, options in _SITES[persona_key].items()}
    team: CareTeam = {}
    for member, role_key, site in _MEMBERS[persona_key]:
        given, family, female = names.draw()
        masculine, feminine, is_doctor = _ROLES[role_key]
        team[member] = Practitioner(
            given=given,
            family=family,
            female=female,
            is_doctor=is_doctor,
            role=feminine if female else masculine,
            place=places[site],
        )
    return team
