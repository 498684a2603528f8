"""Synthetic French care professionals and places, drawn from the persona's random stream.

Appointments name them in `participant.actor.display` only (no Practitioner resources): a person
with a profession and a place, e.g. "Dr Anne Roux, gynécologue-obstétricienne — Maternité du Parc".
"""

from __future__ import annotations

import random
from dataclasses import dataclass

_WOMEN = (
    "Anne", "Claire", "Isabelle", "Nathalie", "Céline", "Hélène", "Julie", "Laure", "Marion",
    "Aurélie", "Émilie", "Valérie", "Sandrine", "Caroline", "Agnès", "Béatrice",
)  # fmt: skip
_MEN = (
    "Antoine", "Julien", "Nicolas", "Olivier", "Pierre", "Thierry", "Vincent", "Mathieu",
    "Laurent", "François", "Benoît", "Éric", "Stéphane", "Guillaume", "Hugo", "Xavier",
)  # fmt: skip
_FAMILIES = (
    "Roux", "Morel", "Fournier", "Lambert", "Bonnet", "Mercier", "Lemoine", "Faure", "Rousseau",
    "Blanc", "Guérin", "Perrin", "Morin", "Clément", "Gauthier", "Chevalier", "Robin", "Masson",
    "Garnier", "Legrand", "Boyer", "Vidal", "Caron", "Picard", "Fabre", "Aubert", "Lemaire",
    "Brunet", "Meyer", "Dumas", "Barbier", "Renaud", "Arnaud", "Colin", "Leroy", "Carpentier",
)  # fmt: skip
"""Common French family names, none shared with the personas."""

_PLACE_NAMES = (
    "du Parc", "des Tilleuls", "Saint-Joseph", "des Peupliers", "Pasteur", "des Acacias",
    "du Centre", "Sainte-Anne", "de la Gare", "du Val", "Victor-Hugo", "Jean-Jaurès",
    "du Marché", "des Cèdres",
)  # fmt: skip


@dataclass(frozen=True)
class Profession:
    """A profession's name for a woman and for a man, and whether its members are doctors."""

    feminine: str
    masculine: str
    doctor: bool = True


GENERALISTE = Profession("médecin généraliste", "médecin généraliste")
GYNECOLOGUE = Profession("gynécologue-obstétricienne", "gynécologue-obstétricien")
ECHOGRAPHISTE = Profession("échographiste", "échographiste")
ANESTHESISTE = Profession("anesthésiste", "anesthésiste")
SAGE_FEMME = Profession("sage-femme", "sage-femme", doctor=False)
DIABETOLOGUE = Profession("diabétologue", "diabétologue")
OPHTALMOLOGUE = Profession("ophtalmologue", "ophtalmologue")
PODOLOGUE = Profession("pédicure-podologue", "pédicure-podologue", doctor=False)
DIETETICIENNE = Profession("diététicienne", "diététicien", doctor=False)
INFIRMIERE = Profession("infirmière", "infirmier", doctor=False)
KINE = Profession("masseuse-kinésithérapeute", "masseur-kinésithérapeute", doctor=False)
GERIATRE = Profession("gériatre", "gériatre")
DENTISTE = Profession("chirurgienne-dentiste", "chirurgien-dentiste")
PEDIATRE = Profession("pédiatre", "pédiatre")
PNEUMO_PEDIATRE = Profession("pneumo-pédiatre", "pneumo-pédiatre")
CHIRURGIEN_ORTHO = Profession("chirurgienne orthopédiste", "chirurgien orthopédiste")
RADIOLOGUE = Profession("radiologue", "radiologue")


class CareTeam:
    """The professionals and places of one patient: no family or place name drawn twice."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._families = list(_FAMILIES)
        self._places = list(_PLACE_NAMES)

    def _draw(self, names: list[str]) -> str:
        return names.pop(self._rng.randrange(len(names)))

    def place(self, kind: str) -> str:
        """A plausible name for a place of care, e.g. "Cabinet médical des Tilleuls"."""
        return f"{kind} {self._draw(self._places)}"

    def professional(self, profession: Profession, where: str | None = None) -> str:
        """A professional's display: "Dr ..." for doctors, "Mme"/"M." otherwise, and the place."""
        woman = self._rng.random() < 0.5
        given = self._rng.choice(_WOMEN if woman else _MEN)
        title = "Dr" if profession.doctor else ("Mme" if woman else "M.")
        label = profession.feminine if woman else profession.masculine
        who = f"{title} {given} {self._draw(self._families)}, {label}"
        return f"{who} — {where}" if where else who
