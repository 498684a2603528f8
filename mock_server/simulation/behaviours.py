"""The behaviours of the simulated services (`behaviours.yaml`): what each one reads and writes,
and when. Loaded and checked once at start; an error names the file, the line and the reason and
stops the start (never a silent default).

Format (one entry per catalogue service, all of them)::

    services:
      pesee-claire:
        description: Balance connectée : une pesée chaque matin.
        device: {kind: Balance connectée, manufacturer: Pesée Claire SAS, model: PC-200}
        actions:
          - write: body_weight          # a generator (see `generators`)
            every: day                  # day, week, or a span: 12h, 2d, P7D...
            at: "07:00"                 # Paris time(s) of day, quoted
            jitter: 20m                 # ± deterministic offset
          - read: measures/body_weight  # data class / subtype (or all)
            every: week
            days: sunday                # weekly schedules: weekday(s)
            at: "20:00"
            since: 30d                  # searches data of the last 30 days
          - write: document
            params: {template: admission, place: "CHU des Belles-Rives"}
            on_connect: true            # once, right after the patient connects it
          - write: document
            params: {template: sejour, place: "CHU des Belles-Rives"}
            after: 3d                   # once, three days after the connection
            at: "16:00"

Each action reads or writes exactly one thing and has exactly one schedule (`on_connect`,
`after` or `every`). What it reads, or what its generator writes, must be a permission the
service's catalogue sheet asks for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta
from functools import cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from mock_server.catalog import Catalog, Permission, ServiceSheet, describe, load_catalog
from mock_server.catalog.models import ALL
from mock_server.simulation.durations import DurationError, parse_duration
from mock_server.simulation.generators import GENERATORS, DeviceInfo, Generator
from mock_server.simulation.schedule import Schedule
from mock_server.simulation.yaml_source import DataFileError, YamlSource, fail, read_yaml

DEFAULT_BEHAVIOURS_PATH = Path(__file__).with_name("behaviours.yaml")
WHAT = "Fichier des comportements des services"
DEFAULT_SINCE = timedelta(days=7)

_WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6, "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5,
    "dimanche": 6,
}
_NAMED_SPANS = {"day": timedelta(days=1), "week": timedelta(days=7)}


def _span(value: object) -> timedelta:
    if isinstance(value, str) and value.strip().lower() in _NAMED_SPANS:
        return _NAMED_SPANS[value.strip().lower()]
    try:
        return parse_duration(value)
    except DurationError as exc:
        fail(str(exc))


def _time_of_day(value: object) -> time:
    if isinstance(value, int):
        fail("écrivez l'heure entre guillemets, par exemple « \"07:00\" » (sans guillemets, "
             "YAML lit 07:00 comme un nombre).")
    try:
        parsed = time.fromisoformat(str(value))
    except ValueError:
        fail(f"« {value} » n'est pas une heure HH:MM (par exemple « \"07:00\" »).")
    return parsed.replace(second=0, microsecond=0)


def _weekday(value: object) -> int:
    day = _WEEKDAYS.get(str(value).strip().lower())
    if day is None:
        fail(f"jour « {value} » inconnu ; jours possibles : monday … sunday (ou lundi … "
             "dimanche).")
    return day


def _listed(value: object) -> object:
    return value if isinstance(value, list | tuple) else [value]


Span = Annotated[timedelta, BeforeValidator(_span)]
TimeOfDay = Annotated[time, BeforeValidator(_time_of_day)]
Weekday = Annotated[int, BeforeValidator(_weekday)]
Text = Annotated[str, Field(min_length=1, max_length=300)]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DeviceSpec(_Strict):
    """The connected object of a device maker's service (its measures come with it)."""

    kind: Text
    manufacturer: Text
    model: Text


class ActionSpec(_Strict):
    """One line of a service's behaviour, as written in the file."""

    read: str | None = None
    write: str | None = None
    label: Text | None = None
    params: dict[str, Any] | None = None
    since: Span | None = None
    count: int = Field(default=20, ge=1, le=100)
    content: bool = False
    on_connect: bool = False
    after: Span | None = None
    every: Span | None = None
    days: Annotated[tuple[Weekday, ...], BeforeValidator(_listed)] = ()
    at: Annotated[tuple[TimeOfDay, ...], BeforeValidator(_listed)] = ()
    jitter: Span | None = None

    @model_validator(mode="after")
    def _coherent(self) -> ActionSpec:
        if (self.read is None) == (self.write is None):
            fail("une action a soit « read » (ce qu'elle lit), soit « write » (le générateur "
                 "de ce qu'elle écrit), jamais les deux ni aucun.")
        kinds = [name for name, set_ in (("on_connect", self.on_connect),
                                         ("after", self.after is not None),
                                         ("every", self.every is not None)) if set_]
        if len(kinds) != 1:
            fail("une action a exactement un calendrier : « on_connect: true », « after » "
                 "(une fois) ou « every » (répétée).")
        self._check_fields()
        self._check_times()
        return self

    def _check_fields(self) -> None:
        if self.write is not None and (self.since or self.content or "count" in
                                       self.model_fields_set):
            fail("« since », « count » et « content » ne s'appliquent qu'à une lecture.")
        if self.read is not None and self.params is not None:
            fail("« params » ne s'applique qu'à une écriture (paramètres du générateur).")
        if self.content and not str(self.read).startswith("documents/"):
            fail("« content: true » ne s'applique qu'à une lecture de documents.")

    def _check_times(self) -> None:
        if self.on_connect and (self.at or self.days or self.jitter):
            fail("« on_connect » s'exécute à la connexion : sans « at », « days » ni "
                 "« jitter ».")
        if self.days and self.every != timedelta(days=7):
            fail("« days » (jours de la semaine) va avec « every: week ».")
        whole_days = [span for span in (self.every, self.after) if span is not None]
        if self.at and any(span % timedelta(days=1) for span in whole_days):
            fail("avec « at », la période (« every » ou « after ») doit compter des jours "
                 "entiers (day, week, 3d…).")
        if self.after is not None and len(self.at) > 1:
            fail("une action « after » a lieu une fois : une seule heure dans « at ».")
        gap = self.schedule.min_gap()
        if self.jitter and gap is not None and 2 * self.jitter >= gap:
            fail("« jitter » doit rester sous la moitié de l'écart entre deux occurrences.")

    @property
    def schedule(self) -> Schedule:
        kind = "on_connect" if self.on_connect else "once" if self.after else "repeat"
        return Schedule(kind, after=self.after, every=self.every, on=tuple(sorted(self.days)),
                        at=tuple(sorted(self.at)), jitter=self.jitter or timedelta(0))


class ServiceBehaviourSpec(_Strict):
    """A service's behaviour, as written in the file."""

    description: Text
    device: DeviceSpec | None = None
    actions: tuple[ActionSpec, ...] = Field(min_length=1)


class BehaviourFileSpec(_Strict):
    services: dict[str, ServiceBehaviourSpec]


@dataclass(frozen=True)
class ReadSpec:
    """What a read action searches."""

    data_class: str
    subtype: str
    since: timedelta
    count: int
    content: bool


@dataclass(frozen=True)
class Action:
    """One checked action of a service: what it needs, does, and when."""

    index: int
    label: str
    schedule: Schedule
    permission: Permission
    read: ReadSpec | None = None
    generator: Generator | None = None
    params: Any = None

    @property
    def repeating(self) -> bool:
        return self.schedule.kind == "repeat"


@dataclass(frozen=True)
class ServiceBehaviour:
    """A service's checked behaviour."""

    service_id: str
    description: str
    device: DeviceInfo | None
    actions: tuple[Action, ...]


@dataclass(frozen=True)
class Behaviours:
    """Every catalogue service's behaviour."""

    path: Path
    by_service: dict[str, ServiceBehaviour]

    def of(self, service_id: str) -> ServiceBehaviour:
        return self.by_service[service_id]


def load_behaviours(path: str | Path | None = None, catalog: Catalog | None = None) -> Behaviours:
    """The checked behaviours at `path` (default: the shipped file), for `catalog` (default: the
    shipped catalogue); `DataFileError` with one line per fault (file, line, reason)."""
    resolved = Path(path or DEFAULT_BEHAVIOURS_PATH).resolve()
    if catalog is None:
        return _load_default(resolved)
    return _load(resolved, catalog)


@cache
def _load_default(path: Path) -> Behaviours:
    return _load(path, load_catalog())


def _load(path: Path, catalog: Catalog) -> Behaviours:
    source = read_yaml(path, WHAT)
    try:
        spec = BehaviourFileSpec.model_validate(source.data)
    except ValidationError as exc:
        raise DataFileError(WHAT, path, source.validation_problems(exc)) from None
    problems: list[str] = []
    services = {}
    for service_id, behaviour in spec.services.items():
        sheet = catalog.get(service_id)
        if sheet is None:
            problems.append(source.problem(("services", service_id),
                                           f"aucun service « {service_id} » dans le catalogue."))
            continue
        services[service_id] = _checked(source, sheet, behaviour, problems)
    missing = [s.id for s in catalog.services if s.id not in spec.services]
    if missing:
        problems.append(source.problem(("services",), "chaque service du catalogue a un "
                                       f"comportement ; il manque : {', '.join(missing)}."))
    if problems:
        raise DataFileError(WHAT, path, problems)
    return Behaviours(path, services)


def _checked(source: YamlSource, sheet: ServiceSheet, spec: ServiceBehaviourSpec,
             problems: list[str]) -> ServiceBehaviour:
    actions = []
    for index, action in enumerate(spec.actions):
        loc = ("services", sheet.id, "actions", index)
        try:
            actions.append(_action(index, action, sheet))
        except _ActionProblem as problem:
            problems.append(source.problem((*loc, *problem.loc), problem.reason))
    device = spec.device
    return ServiceBehaviour(
        sheet.id, spec.description,
        DeviceInfo(device.kind, device.manufacturer, device.model) if device else None,
        tuple(actions))


class _ActionProblem(Exception):
    def __init__(self, loc: tuple, reason: str) -> None:
        super().__init__(reason)
        self.loc = loc
        self.reason = reason


def _action(index: int, spec: ActionSpec, sheet: ServiceSheet) -> Action:
    if spec.read is not None:
        read = _read_spec(spec)
        permission = Permission(data_class=read.data_class, subtype=read.subtype, access="read")
        _require(sheet, permission, ("read",))
        return Action(index, spec.label or describe(permission), spec.schedule, permission,
                      read=read)
    generator = GENERATORS.get(str(spec.write))
    if generator is None:
        raise _ActionProblem(("write",), f"générateur « {spec.write} » inconnu ; générateurs "
                                         f"possibles : {', '.join(GENERATORS)}.")
    try:
        params = generator.params.model_validate(spec.params or {})
    except ValidationError as exc:
        error = exc.errors()[0]
        reason = str(error["msg"]).removeprefix("Value error, ")
        raise _ActionProblem(("params", *error["loc"]), reason) from None
    permission = generator.permission(params)
    _require(sheet, permission, ("write",))
    return Action(index, spec.label or generator.description, spec.schedule, permission,
                  generator=generator, params=params)


def _read_spec(spec: ActionSpec) -> ReadSpec:
    data_class, _, subtype = str(spec.read).partition("/")
    try:
        Permission(data_class=data_class, subtype=subtype or ALL, access="read")
    except ValidationError as exc:
        reason = str(exc.errors()[0]["msg"])
        raise _ActionProblem(("read",), f"« {spec.read} » : {reason} (forme attendue : "
                                        "measures/<mesure>, documents/<groupe> ou agenda/all)"
                             ) from None
    return ReadSpec(data_class, subtype or ALL, spec.since or DEFAULT_SINCE, spec.count,
                    spec.content)


def _require(sheet: ServiceSheet, permission: Permission, loc: tuple) -> None:
    asked = {p.permission for p in sheet.permissions}
    whole = Permission(data_class=permission.data_class, subtype=ALL, access=permission.access)
    if permission not in asked and whole not in asked:
        raise _ActionProblem(loc, f"le service « {sheet.id} » ne demande pas la permission "
                                  f"« {describe(permission)} » dans le catalogue.")
