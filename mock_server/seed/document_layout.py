"""What every synthetic document shares: the story context, the draft, French formatting, layout.

A story (one per persona, in `document_texts_*.py`) writes `DraftDocument`s: type code, title,
date, author and body lines. `render_text` wraps the body the way a French clinical document
looks: establishment and author, title, date, patient identity, body, electronic signature.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TypeVar

from mock_server.seed.document_cast import CareTeam, Practitioner
from mock_server.seed.measure_timeline import PARIS, anchor_day
from mock_server.seed.patients import SeedPatient

T = TypeVar("T")

_MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)


def fr_date(day: date | datetime) -> str:
    """12/05/2026."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def fr_long_date(day: date | datetime) -> str:
    """1er juin 2026, 12 mai 2026."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {_MONTHS[day.month - 1]} {day.year}"


def fr_time(moment: datetime) -> str:
    """04h37."""
    return f"{moment.hour:02d}h{moment.minute:02d}"


def fr_num(value: float, decimals: int = 0) -> str:
    """A number the French way: 7,4 (decimal comma)."""
    return f"{value:.{decimals}f}".replace(".", ",")


def workday(day: date) -> date:
    """`day`, or the Friday before when it falls on a weekend (practices are closed then)."""
    return day - timedelta(days=max(0, day.weekday() - 4))


def age_on(birth: date, day: date) -> int:
    """Age in whole years on `day`."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def batch_number(rng: random.Random) -> str:
    """A vaccine batch number as printed on the box (letters and digits)."""
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    return (
        "".join(rng.choice(letters) for _ in range(2))
        + str(rng.randrange(100, 1000))
        + rng.choice(letters)
    )


def flu_vaccination_day(rng: random.Random, latest: date) -> date:
    """A day of the latest seasonal flu campaign (from 15 October) that is not after `latest`."""
    year = latest.year if latest >= date(latest.year, 10, 15) else latest.year - 1
    start = date(year, 10, 15)
    return start + timedelta(days=rng.randint(0, min(45, (latest - start).days)))


def in_flu_season(day: date) -> bool:
    """Whether `day` falls in a flu vaccination campaign (15 October to 31 January)."""
    return day.month in (11, 12, 1) or (day.month == 10 and day.day >= 15)


def flu_season(day: date) -> str:
    """The campaign a flu vaccination day belongs to: "2026-2027"."""
    year = day.year if day.month >= 10 else day.year - 1
    return f"{year}-{year + 1}"


def lab(label: str, value: float, decimals: int, unit: str, low: float | None,
        high: float | None) -> str:
    """One biology result line: value, unit, reference range, and a flag when out of range."""
    if low is not None and high is not None:
        ref = f"[{fr_num(low, decimals)} - {fr_num(high, decimals)}]"
    elif high is not None:
        ref = f"[< {fr_num(high, decimals)}]"
    else:
        ref = f"[> {fr_num(low or 0, decimals)}]"
    flag = ""
    if high is not None and value > high:
        flag = " ↑"
    elif low is not None and value < low:
        flag = " ↓"
    return f"  {label:<34}{fr_num(value, decimals):>7} {unit:<16}{ref}{flag}"


def lab_text(label: str, result: str, comment: str = "") -> str:
    """A qualitative biology result line (négatif, groupe sanguin...)."""
    return f"  {label:<34}{result}" + (f"  ({comment})" if comment else "")


@dataclass(frozen=True)
class DraftDocument:
    """A document as a story writes it, before it becomes a Binary and a DocumentReference."""

    type_code: str
    title: str
    when: datetime
    author: Practitioner
    body: tuple[str, ...]
    act_start: datetime | None = None
    act_end: datetime | None = None


@dataclass
class StoryContext:
    """What a persona's story is written from: the patient, the day, the team, the random stream."""

    patient: SeedPatient
    anchor: datetime
    rng: random.Random
    team: CareTeam
    guardian: SeedPatient | None = None

    @property
    def today(self) -> date:
        return anchor_day(self.anchor)

    def day(self, days_ago: int) -> date:
        return self.today - timedelta(days=days_ago)

    def at(self, day: date, hour: int, minute: int | None = None) -> datetime:
        """An aware Paris time on `day`; the minute is drawn (to the 5) unless given."""
        if minute is None:
            minute = self.rng.randrange(0, 60, 5)
        return datetime.combine(day, time(hour, minute), tzinfo=PARIS)

    def ago(self, days: int, hour: int, minute: int | None = None) -> datetime:
        return self.at(self.day(days), hour, minute)

    def uniform(self, low: float, high: float, decimals: int = 0) -> float:
        return round(self.rng.uniform(low, high), decimals)

    def choice(self, options: tuple[T, ...] | list[T]) -> T:
        return self.rng.choice(options)

    def doc(
        self,
        type_code: str,
        title: str,
        when: datetime,
        author: str,
        body: list[str],
        *,
        act_start: datetime | None = None,
        act_end: datetime | None = None,
    ) -> DraftDocument:
        """A draft written by the team member `author` (a key of the care team)."""
        return DraftDocument(
            type_code, title, when, self.team[author], tuple(body), act_start, act_end
        )


def _identity_lines(draft: DraftDocument, patient: SeedPatient,
                    guardian: SeedPatient | None) -> list[str]:
    persona = patient.persona
    female = persona.gender == "female"
    adult = age_on(persona.birth_date, draft.when.date()) >= 18
    civility = ("Mme " if female else "M. ") if adult else ""
    label, born = ("Patiente", "née") if female else ("Patient", "né")
    age = age_on(persona.birth_date, draft.when.date())
    lines = [
        f"{label} : {civility}{persona.given} {persona.family.upper()}, {born} le "
        f"{fr_date(persona.birth_date)} ({age} ans)",
        f"INS : {patient.ins} (identité de test)",
    ]
    if guardian is not None:
        mother = guardian.persona.gender == "female"
        relation = "Représentante légale" if mother else "Représentant légal"
        lines.append(f"{relation} : {guardian.display_name} ({'mère' if mother else 'père'})")
    return lines


def render_text(draft: DraftDocument, patient: SeedPatient,
                guardian: SeedPatient | None = None) -> str:
    """The full text of a document: header, patient identity, title, body, signature."""
    author = draft.author
    lines = [
        author.place,
        author.signature,
        "",
        draft.title,
        f"Date : {fr_date(draft.when)}",
        *_identity_lines(draft, patient, guardian),
        "",
        *draft.body,
        "",
        author.name,
        f"Document validé électroniquement le {fr_date(draft.when)} à {fr_time(draft.when)}.",
    ]
    return "\n".join(lines) + "\n"
