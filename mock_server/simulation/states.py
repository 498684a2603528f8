"""Named states a facilitator resets the platform to (`states.yaml`), checked once at start.

A state is the seed's data plus services connected through the real consent flow
(`patient_driver`). `initial` (nothing connected) must exist. An error names the file, the line
and the reason and stops the start.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    model_validator,
)
from sqlalchemy import select

from mock_server.catalog import Permission, load_catalog
from mock_server.catalog.models import Access, DataClass
from mock_server.consent.service_clients import is_suspended
from mock_server.consent.validity import DURATION_MONTHS
from mock_server.seed.patients import PERSONAS, REPRESENTATIONS
from mock_server.simulation.patient_driver import Connection, connect_as_patient
from mock_server.simulation.runtime import Simulation, SimulationError
from mock_server.simulation.yaml_source import DataFileError, fail, read_yaml
from mock_server.storage.schema import patients

DEFAULT_STATES_PATH = Path(__file__).with_name("states.yaml")
WHAT = "Fichier des états nommés"
INITIAL = "initial"

_USERNAMES = {p.username for p in PERSONAS if p.username}
EVERY = "*"
"""The subtype of `class/*/access`: every permission of that class with that access."""


def _permission(value: object) -> Permission:
    data_class, _, rest = str(value).partition("/")
    subtype, _, access = rest.partition("/")
    try:
        return Permission(data_class=data_class, subtype=subtype, access=access)
    except ValidationError as exc:
        known = [error["msg"] for error in exc.errors() if error["type"] == "catalogue"]
        if known:  # the right shape, but an unknown measure or group: say which
            fail(f"« {value} » : {known[0]}")
        fail(f"« {value} » n'est pas une permission « classe/sous-type/accès » (par exemple "
             "measures/blood_pressure/read).")


def _account(value: object, info: ValidationInfo) -> str:
    known = (info.context or {}).get("accounts", _USERNAMES)
    if value not in known:
        fail(f"compte « {value} » inconnu ; comptes : {', '.join(sorted(known))}.")
    return str(value)


def _service(value: object) -> str:
    catalog = load_catalog()
    if catalog.get(str(value)) is None:
        fail(f"aucun service « {value} » dans le catalogue.")
    if is_suspended(catalog, str(value)):
        fail(f"le service « {value} » est suspendu dans le catalogue : il ne peut pas être "
             "connecté.")
    return str(value)


def _duration(value: object) -> str:
    if value not in DURATION_MONTHS:
        fail(f"durée « {value} » inconnue ; durées : {', '.join(DURATION_MONTHS)}.")
    return str(value)


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


def _refusals(service_id: object, refuse: list | tuple) -> list:
    """`refuse` with each `class/*/access` replaced by every permission of that class with that
    access the service asks (the other items as they are)."""
    sheet = load_catalog().get(str(service_id))
    if sheet is None:
        return list(refuse)
    out: list = []
    for item in refuse:
        data_class, _, rest = str(item).partition("/")
        subtype, _, access = rest.partition("/")
        if subtype != EVERY or data_class not in get_args(DataClass) \
                or access not in get_args(Access):
            out.append(item)
            continue
        found = [f"{p.permission.data_class}/{p.permission.subtype}/{p.permission.access}"
                 for p in sheet.permissions
                 if (p.permission.data_class, p.permission.access) == (data_class, access)]
        if not found:
            fail(f"le service « {sheet.id} » ne demande aucune permission « {item} » : rien à "
                 "refuser.")
        out += [text for text in found if text not in out]
    return out


class ConnectionSpec(_Strict):
    """One service connected through the consent flow. `refuse` takes `class/subtype/access`
    permissions, or `class/*/access` for every permission of that class with that access.

    Validated with a context `{"accounts": usernames, "represents": {(username, persona key)}}`
    the accounts of a running server are accepted (copies of personas included); without one,
    the seed's."""

    account: Annotated[str, BeforeValidator(_account)]
    for_: str | None = Field(default=None, alias="for")
    service: Annotated[str, BeforeValidator(_service)]
    refuse: tuple[Annotated[Permission, BeforeValidator(_permission)], ...] = ()
    duration: Annotated[str, BeforeValidator(_duration)] = "6m"

    @model_validator(mode="before")
    @classmethod
    def _every_of_class(cls, data: object) -> object:
        if isinstance(data, dict) and isinstance(data.get("refuse"), list | tuple):
            return {**data, "refuse": _refusals(data.get("service"), data["refuse"])}
        return data

    @model_validator(mode="after")
    def _coherent(self, info: ValidationInfo) -> ConnectionSpec:
        represents = (info.context or {}).get("represents", {
            (user, child) for user, child, _ in REPRESENTATIONS})
        if self.for_ is not None and (self.account, self.for_) not in represents:
            fail(f"le compte « {self.account} » ne représente pas le patient « {self.for_} ».")
        asked = {p.permission for p in load_catalog().get(self.service).permissions}
        for permission in self.refuse:
            if permission not in asked:
                fail(f"le service « {self.service} » ne demande pas « {permission.data_class}/"
                     f"{permission.subtype}/{permission.access} » : rien à refuser.")
        return self


class StateSpec(_Strict):
    description: str = Field(min_length=3)
    connections: tuple[ConnectionSpec, ...] = ()


class StatesFile(_Strict):
    states: dict[str, StateSpec]


@dataclass(frozen=True)
class NamedStates:
    path: Path
    states: dict[str, StateSpec]

    def get(self, name: str) -> StateSpec:
        state = self.states.get(name)
        if state is None:
            raise SimulationError(404, f"Aucun état nommé « {name[:80]} » ; états : "
                                       f"{', '.join(self.states)}.")
        return state


def load_states(path: str | Path | None = None) -> NamedStates:
    """The checked named states at `path` (default: the shipped file)."""
    return _load(Path(path or DEFAULT_STATES_PATH).resolve())


@cache
def _load(path: Path) -> NamedStates:
    source = read_yaml(path, WHAT)
    try:
        spec = StatesFile.model_validate(source.data)
    except ValidationError as exc:
        raise DataFileError(WHAT, path, source.validation_problems(exc)) from None
    if INITIAL not in spec.states:
        raise DataFileError(WHAT, path, [source.problem(("states",),
                                                        f"l'état « {INITIAL} » est obligatoire.")])
    return NamedStates(path, spec.states)


async def apply_state(simulation: Simulation, state: StateSpec) -> list[dict]:
    """Reset the platform to `state`: wipe and re-seed, then connect its services through the
    consent flow. Returns each connection's callback answer."""
    await simulation.wipe()
    profiles = await asyncio.to_thread(_profiles, simulation)
    connected = []
    for spec in state.connections:
        connection = Connection(spec.account, spec.service,
                                profiles[spec.for_] if spec.for_ else None, spec.refuse,
                                spec.duration)
        connected.append(await connect_as_patient(simulation, connection))
    return connected


def _profiles(simulation: Simulation) -> dict[str, str]:
    with simulation.platform.engine.connect() as conn:
        return {row.profile: row.id for row in conn.execute(select(patients.c.profile,
                                                                   patients.c.id))}
