"""`POST /admin/prepare`: set up one patient's starting state on a server a whole workshop may
be sharing.

Everything is checked before anything changes — the account and whose space (`for`), each
service (known, not suspended), each refusal (a permission the service asks, or
`class/*/access`), each duration, with the same rules and sentences as the named states
(`ConnectionSpec`) — then the patient's space is reset alone (`Simulation.reset_patient`) and the
services are connected through the real consent flow (`patient_driver`).
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy import Engine, select

from mock_server.admin.bodies import Prepare, validation_detail
from mock_server.problems import Problem
from mock_server.simulation.patient_driver import Connection
from mock_server.simulation.runtime import Simulation, SimulationError
from mock_server.simulation.states import ConnectionSpec
from mock_server.storage.schema import accounts, patients, representations


@dataclass(frozen=True)
class Space:
    """The patient whose space is prepared, and who signs in for them."""

    account: str
    patient_id: str
    patient: str
    for_: str | None


@dataclass(frozen=True)
class Known:
    """The server's accounts and who represents whom (a persona key per represented patient)."""

    accounts: set[str]
    represents: dict[str, dict[str, tuple[str, str]]]
    """username -> persona key -> (patient id, name)."""
    own: dict[str, tuple[str, str]]
    """username -> (own patient id, name)."""


def known_accounts(engine: Engine) -> Known:
    with engine.connect() as conn:
        own = {row.username: (row.id, f"{row.given} {row.family}") for row in conn.execute(
            select(accounts.c.username, patients.c.id, patients.c.given, patients.c.family)
            .join(patients, patients.c.id == accounts.c.patient_id))}
        represents: dict[str, dict[str, tuple[str, str]]] = {}
        for row in conn.execute(select(representations.c.username, patients.c.id,
                                       patients.c.profile, patients.c.given, patients.c.family)
                                .join(patients, patients.c.id == representations.c.patient_id)):
            represents.setdefault(row.username, {})[row.profile] = (
                row.id, f"{row.given} {row.family}")
    return Known(set(own), represents, own)


def space_of(known: Known, account: str, for_: str | None) -> Space:
    """The space `account` acts in; 404 for an unknown account, 422 for someone it does not
    represent."""
    if account not in known.accounts:
        raise Problem(404, "Compte introuvable",
                      f"Compte « {account[:80]} » inconnu ; comptes : "
                      f"{', '.join(sorted(known.accounts))}.")
    if for_ is None:
        return Space(account, *known.own[account], None)
    theirs = known.represents.get(account, {})
    if for_ not in theirs:
        whom = (f"il représente : {', '.join(sorted(theirs))}" if theirs
                else "il ne représente personne")
        raise Problem(422, "Requête invalide",
                      f"for : le compte « {account} » ne représente pas le patient « "
                      f"{for_[:40]} » ({whom}).")
    return Space(account, *theirs[for_], for_)


def connections_for(simulation: Simulation, known: Known, space: Space,
                    body: Prepare) -> list[Connection]:
    """The checked connections: 404 unknown service, 409 suspended, 422 anything else."""
    context = {"accounts": known.accounts,
               "represents": {(user, key) for user, keys in known.represents.items()
                              for key in keys}}
    checked: list[Connection] = []
    for index, wanted in enumerate(body.connections):
        try:
            sheet = simulation.service(wanted.service)
        except SimulationError as error:
            raise Problem(404, "Service introuvable", error.detail) from None
        if simulation.is_suspended(sheet.id):
            lift = (f"levez d'abord la suspension : /admin/services/{sheet.id}/reinstate"
                    if sheet.id in simulation.suspended
                    else "il l'est dans le catalogue lui-même (services.json)")
            raise Problem(409, "Action impossible",
                          f"Le service « {sheet.name} » est suspendu par l'autorité de "
                          f"référencement : il ne peut pas être connecté ({lift}).")
        if any(c.service_id == sheet.id for c in checked):
            raise Problem(422, "Requête invalide",
                          f"connections.{index}.service : « {sheet.id} » figure deux fois ; "
                          "un service se connecte une seule fois.")
        try:
            spec = ConnectionSpec.model_validate(
                {"account": space.account, "for": space.for_, "service": sheet.id,
                 "refuse": wanted.refuse, "duration": wanted.duration}, context=context)
        except ValidationError as exc:
            raise Problem(422, "Requête invalide",
                          validation_detail(exc, "connections", index)) from None
        checked.append(Connection(spec.account, spec.service, space.patient_id, spec.refuse,
                                  spec.duration))
    return checked
