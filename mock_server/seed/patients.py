"""The synthetic patients and their accounts.

Names, roles and logins are fixed (workshop material and the README name them); the seed decides
the INS digits, ids and addresses. INS: NIR of 13 digits + key `97 - (NIR mod 97)`, in the test
identity system (`urn:oid:1.2.250.1.213.1.4.10`).
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date

from faker import Faker

from mock_server.reference import INS_TEST_SYSTEM

DEMO_PASSWORD = "demo2026"
"""Password of every synthetic account (synthetic data; `ens-mock-server accounts` prints it)."""


@dataclass(frozen=True)
class Persona:
    """A fixed role in the synthetic population."""

    key: str
    given: str
    family: str
    gender: str
    birth_date: date
    department: str
    username: str | None
    summary: str


PERSONAS: tuple[Persona, ...] = (
    Persona("pregnancy", "Camille", "Martin", "female", date(1994, 3, 14), "75", "camille.martin",
            "Enceinte de 6 mois, suivie en maternité"),
    Persona("diabetes", "Karim", "Benali", "male", date(1968, 9, 2), "69", "karim.benali",
            "Diabète de type 2 sous traitement oral"),
    Persona("autonomy", "Jeanne", "Lefèvre", "female", date(1944, 5, 21), "59", "jeanne.lefevre",
            "82 ans, perte d'autonomie, aide à domicile"),
    Persona("parent", "Sophie", "Dubois", "female", date(1987, 11, 30), "33", "sophie.dubois",
            "Mère de Léo, son représentant légal"),
    Persona("child", "Léo", "Dubois", "male", date(2018, 6, 9), "33", None,
            "8 ans, asthme ; son espace est géré par sa mère"),
    Persona("discharged", "Thomas", "Girard", "male", date(1980, 1, 17), "13", "thomas.girard",
            "Sorti de l'hôpital la semaine dernière après une pose de prothèse de genou"),
)

REPRESENTATIONS: tuple[tuple[str, str, str], ...] = (("sophie.dubois", "child", "parent"),)
"""(username, persona key of the represented patient, relationship)."""


@dataclass(frozen=True)
class SeedPatient:
    """A patient as generated: persona plus the seed-dependent parts."""

    id: str
    persona: Persona
    nir: str
    ins_key: str
    address: dict

    @property
    def ins(self) -> str:
        return self.nir + self.ins_key

    @property
    def display_name(self) -> str:
        return f"{self.persona.given} {self.persona.family}"


def ins_key(nir: str) -> str:
    """The INS/NIR control key: 97 - (NIR mod 97), two digits."""
    return f"{97 - int(nir) % 97:02d}"


def make_nir(rng: random.Random, persona: Persona) -> str:
    sex = "1" if persona.gender == "male" else "2"
    born = persona.birth_date
    commune = f"{rng.randint(1, 999):03d}"
    order = f"{rng.randint(1, 999):03d}"
    return f"{sex}{born.year % 100:02d}{born.month:02d}{persona.department}{commune}{order}"


def seeded_uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def build_patients(rng: random.Random, faker: Faker) -> list[SeedPatient]:
    """The patients of the population, deterministic for a given `rng` and `faker` seed."""
    out = []
    shared_address: dict | None = None
    for persona in PERSONAS:
        nir = make_nir(rng, persona)
        if persona.family == "Dubois" and shared_address is not None:
            address = shared_address  # the child lives with the parent
        else:
            address = {
                "line": [faker.street_address()],
                "city": faker.city(),
                "postalCode": f"{persona.department}{rng.randint(0, 999):03d}",
                "country": "FR",
            }
            if persona.family == "Dubois":
                shared_address = address
        out.append(SeedPatient(seeded_uuid(rng), persona, nir, ins_key(nir), address))
    return out


def patient_resource(patient: SeedPatient, guardian: SeedPatient | None = None) -> dict:
    """The FHIR R4 Patient for `patient` (with the legal representative as a contact)."""
    persona = patient.persona
    resource: dict = {
        "resourceType": "Patient",
        "id": patient.id,
        "identifier": [
            {
                "use": "official",
                "type": {
                    "coding": [{
                        "system": "https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203",
                        "code": "INS-NIR-TEST",
                        "display": "NIR de test",
                    }]
                },
                "system": INS_TEST_SYSTEM,
                "value": patient.ins,
            }
        ],
        "name": [{"use": "official", "family": persona.family, "given": [persona.given]}],
        "gender": persona.gender,
        "birthDate": persona.birth_date.isoformat(),
        "address": [{"use": "home", **patient.address}],
    }
    if guardian is not None:
        resource["contact"] = [
            {
                "relationship": [{
                    "coding": [{
                        "system": "http://terminology.hl7.org/CodeSystem/v2-0131",
                        "code": "N",
                        "display": "Next-of-Kin",
                    }],
                    "text": "Représentant légal (parent)",
                }],
                "name": {"family": guardian.persona.family, "given": [guardian.persona.given]},
            }
        ]
    return resource
