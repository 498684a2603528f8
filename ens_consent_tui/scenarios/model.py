"""The scenario format, version 1 (`scenarios/README.md` is the contract), as frozen pydantic
models: what the loader builds from YAML, what the guided panel and the headless runner read.

Public names:

- `Scenario` — `format`, `title`, `description`, `tags`, `lang`, `start`, `steps`;
  `variants()` expands a list of `maille` values into one scenario per value, each with its
  `variant` label (`"maille=categorie"`; `None` when there was nothing to expand);
  `line_of("steps[2].do")` is the file line of a place (when read by the loader).
- `Start` — `patient`, `for_` (YAML `for`), `maille` (one value, or a tuple before expansion;
  `mailles` always gives the tuple), `clock` (`ClockStart`), `services` (`ServiceStart`...).
- `ClockStart` — `paused` and `speed` (YAML `paused`, `running` or `{speed: 60}`).
- `ServiceStart` — `service`, `refuse`, `duration`: a connection made before step 1.
- `Step` — `title`, `notes`, `do` (`Action | None`), `expect` (`Expectation`...), `timeout`,
  `line` (the YAML line of the step, set by the loader, for messages; 0 when unknown).
- `Action` — one class per action: `Open`, `Search`, `OpenSheet`, `Connect`,
  `RefuseConnection`, `Narrow`, `ChangeDuration`, `Revoke`, `SwitchSpace`, `Press` (the
  person's), `AdvanceClock`, `Act`, `Misbehave`, `Suspend`, `Reinstate` (the facilitator's).
  Each has `kind` (its YAML key) and `by_facilitator` as class variables; actions on a service
  have a `service` field. `ACTIONS` maps each key to its class.
- `Expectation` — `SectionIs`, `TextShown`, `TextAbsent`, `NotificationShown`, `GrantState`,
  `ExchangeSeen`, `NoExchange`, each with `kind`; `EXPECTATIONS` maps each key to its class.
- `Permission` — a value parsed from `class/subtype/access` (`subtype` may be `*`):
  `.data_class`, `.subtype`, `.access`, `.whole_class`, `covers(...)`; `str()` gives the text.
- `DataFilter` — the `data` of an exchange expectation: `class` or `class/subtype`.
- `jump_span(text)` — the `timedelta` an `advance_clock` value names.

YAML shape: `do` is a one-key mapping whose key names the action and holds its main value,
the other keys being its options (`{connect: pesee-claire, refuse: [...], duration: 6m}`);
each `expect` item likewise (`{text: ...}`, `{grant: {service: ..., status: ...}}`).
Python code builds the same models by field name (`Connect(service="pesee-claire")`).

Errors raised here are `PydanticCustomError`s whose type is a key of the `scenario.error.`
catalogue (with its context as the values), so the loader words them in the reader's language;
their own English message serves Python callers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Annotated, Any, ClassVar, Final, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    PrivateAttr,
    StringConstraints,
    Tag,
    field_validator,
    model_serializer,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue, SkipJsonSchema
from pydantic_core import PydanticCustomError, core_schema

from ens_consent_tui.client.measures import measure_by_key
from ens_consent_tui.client.records import DOCUMENT_GROUPS

FORMAT_VERSION: Final = 1

DATA_CLASSES: Final = ("measures", "documents", "agenda")
ACCESSES: Final = ("read", "write")
ALL: Final = "all"
WHOLE_CLASS: Final = "*"
SUBTYPES: Final[dict[str, tuple[str, ...]]] = {
    "measures": (ALL, *measure_by_key()),
    "documents": (ALL, *DOCUMENT_GROUPS),
    "agenda": (ALL,),
}
"""The subtypes each class knows (besides `*`): measure keys, document groups, `all`."""

Maille = Literal["categorie", "type", "ressource"]
"""Consent granularity ("maille de consentement"), a server setting (DESIGN §5)."""
MAILLES: Final = ("categorie", "type", "ressource")
GrantDuration = Literal["1m", "6m", "1y", "revocation"]
"""The validity a person picks in the consent dialog."""
GRANT_DURATIONS: Final = ("1m", "6m", "1y", "revocation")
Section = Literal["home", "store", "data", "services", "exchanges"]
SECTIONS: Final = ("home", "store", "data", "services", "exchanges")
GrantStatus = Literal["active", "revoked", "expired", "suspended", "none"]
Outcome = Literal["allowed", "denied", "unauthorized", "any"]
Access = Literal["read", "write"]
MAX_JUMP: Final = timedelta(days=31)
"""The longest clock jump the console accepts in one call."""


def _error(error_type: str, message: str, /, **context: Any) -> PydanticCustomError:
    """An error the loader translates: `error_type` is a `scenario.error.<type>` catalogue key."""
    return PydanticCustomError(error_type, message, context)


# --- permissions -------------------------------------------------------------------------------


def _check_subtype(data_class: str, subtype: str, text: str) -> None:
    if data_class not in SUBTYPES:
        raise _error("permission_class", "'{text}': unknown data class '{data_class}' "
                     "(classes: {choices})", text=text, data_class=data_class,
                     choices=", ".join(DATA_CLASSES))
    if subtype not in SUBTYPES[data_class]:
        raise _error("permission_subtype", "'{text}': unknown subtype '{subtype}' for "
                     "{data_class} (subtypes: {choices})", text=text, subtype=subtype,
                     data_class=data_class, choices=", ".join(SUBTYPES[data_class]))


class Permission:
    """`class/subtype/access`, e.g. `measures/body_weight/write`; subtype `*` stands for every
    permission of that class with that access (`whole_class`)."""

    __slots__ = ("access", "data_class", "subtype")
    data_class: str
    subtype: str
    access: str

    def __init__(self, data_class: str, subtype: str, access: str) -> None:
        object.__setattr__(self, "data_class", data_class)
        object.__setattr__(self, "subtype", subtype)
        object.__setattr__(self, "access", access)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Permission is immutable")

    @classmethod
    def parse(cls, text: object) -> Permission:
        """The permission `text` names; a `PydanticCustomError` (`permission_*`) otherwise."""
        if isinstance(text, Permission):
            return text
        if not isinstance(text, str):
            raise _error("permission_type", "a permission is text like "
                         "'measures/body_weight/read'")
        parts = text.strip().split("/")
        if len(parts) != 3 or not all(parts):
            raise _error("permission_shape", "'{text}' is not class/subtype/access, e.g. "
                         "'measures/body_weight/read'", text=text)
        data_class, subtype, access = parts
        if subtype != WHOLE_CLASS or data_class not in DATA_CLASSES:
            _check_subtype(data_class, subtype, text)
        if access not in ACCESSES:
            raise _error("permission_access", "'{text}': access must be read or write",
                         text=text)
        return cls(data_class, subtype, access)

    @property
    def whole_class(self) -> bool:
        return self.subtype == WHOLE_CLASS

    def covers(self, data_class: str, subtype: str, access: str) -> bool:
        """Whether this permission names that one (`*` naming every subtype of its class)."""
        return (self.data_class == data_class and self.access == access
                and (self.whole_class or self.subtype == subtype))

    def __str__(self) -> str:
        return f"{self.data_class}/{self.subtype}/{self.access}"

    def __repr__(self) -> str:
        return f"Permission({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Permission):
            return NotImplemented
        return str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler
                                     ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls.parse, serialization=core_schema.to_string_ser_schema())

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: core_schema.CoreSchema,
                                     handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        return {"type": "string", "title": "Permission",
                "pattern": r"^(measures|documents|agenda)/[a-z_*-]+/(read|write)$",
                "description": "classe/sous-type/accès, par exemple « measures/body_weight/read"
                               " » ; sous-type « * » : toute la classe pour cet accès.",
                "examples": ["measures/body_weight/read", "documents/*/write"]}


class DataFilter(str):
    """The `data` of an exchange expectation: `class` or `class/subtype`."""

    @property
    def data_class(self) -> str:
        return self.partition("/")[0]

    @property
    def subtype(self) -> str | None:
        return self.partition("/")[2] or None

    @classmethod
    def parse(cls, text: object) -> DataFilter:
        if not isinstance(text, str) or not text.strip():
            raise _error("data_filter", "data is 'class' or 'class/subtype', e.g. 'measures' "
                         "or 'measures/body_weight'", text=str(text))
        value = text.strip()
        data_class, _, subtype = value.partition("/")
        if data_class not in DATA_CLASSES or (subtype and subtype not in SUBTYPES[data_class]):
            raise _error("data_filter", "'{text}': data is 'class' or 'class/subtype', e.g. "
                         "'measures' or 'measures/body_weight'", text=value)
        return cls(value)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler
                                     ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls.parse, serialization=core_schema.to_string_ser_schema())

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: core_schema.CoreSchema,
                                     handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        return {"type": "string", "pattern": r"^(measures|documents|agenda)(/[a-z_-]+)?$",
                "description": "« classe » ou « classe/sous-type », par exemple « measures » ou "
                               "« measures/body_weight »."}


# --- durations ---------------------------------------------------------------------------------

_SHORT = re.compile(r"(\d{1,6})\s*(s|sec|m|min|h|d|j|w|sem)", re.IGNORECASE)
_UNITS = {"s": "seconds", "sec": "seconds", "m": "minutes", "min": "minutes", "h": "hours",
          "d": "days", "j": "days", "w": "weeks", "sem": "weeks"}
_ISO = re.compile(r"P(?:(?P<weeks>\d{1,6})W)?(?:(?P<days>\d{1,6})D)?"
                  r"(?:T(?:(?P<hours>\d{1,6})H)?(?:(?P<minutes>\d{1,6})M)?"
                  r"(?:(?P<seconds>\d{1,6})S)?)?", re.IGNORECASE)


def jump_span(text: str) -> timedelta | None:
    """The span a clock jump names (`7d`, `12h`, `20m`, `1w`, `P7D`, `PT12H`, as the console
    reads them); `None` when it names none."""
    value = text.strip()
    if value.upper().startswith("P"):
        match = _ISO.fullmatch(value)
        if match is None or not any(match.groupdict().values()) or value.upper().endswith("T"):
            return None
        return timedelta(**{name: int(part) for name, part in match.groupdict().items() if part})
    short = _SHORT.fullmatch(value)
    return timedelta(**{_UNITS[short[2].lower()]: int(short[1])}) if short else None


def _jump(value: object) -> str:
    span = jump_span(value) if isinstance(value, str) else None
    if span is None or span <= timedelta(0):
        raise _error("jump", "'{value}' is not a clock jump; write e.g. 7d, 12h, 20m, P7D",
                     value=str(value))
    if span > MAX_JUMP:
        raise _error("jump_too_long", "'{value}': the clock jumps at most 31 days at once",
                     value=str(value))
    return value.strip()


def _shown(value: object) -> str:
    """A value as YAML would write it, for messages: `[type, type]`, not `['type', 'type']`."""
    if isinstance(value, list | tuple):
        return "[" + ", ".join(map(_shown, value)) + "]"
    return str(value)


def _one_or_many(value: object) -> object:
    """A single value where a list is expected counts as a list of one."""
    return [value] if isinstance(value, str) else value


def _fr(description: str) -> dict[str, str]:
    """The French description the JSON Schema shows (docstrings stay for developers)."""
    return {"description": description}


# --- shared ------------------------------------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True,
                              serialize_by_alias=True)


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
ServiceId = Annotated[str, Field(min_length=1, max_length=80, pattern=r"^\S+$",
                                 description="Identifiant du service (catalogue du store).")]
Permissions = Annotated[tuple[Permission, ...], BeforeValidator(_one_or_many)]


class _Action(_Model):
    kind: ClassVar[str]
    by_facilitator: ClassVar[bool] = False


class _FacilitatorAction(_Action):
    by_facilitator: ClassVar[bool] = True


# --- actions of the person ---------------------------------------------------------------------


class Open(_Action, json_schema_extra=_fr(
        "Afficher une section de l'application : home, store, data, services, exchanges.")):
    """Show a section of the app."""

    kind: ClassVar[str] = "open"
    section: Section = Field(alias="open", description="La section à afficher.")


class Search(_Action, json_schema_extra=_fr(
        "Taper un texte dans la recherche du catalogue (le catalogue s'ouvre d'abord).")):
    """Type TEXT into the store's search box (the store is opened first)."""

    kind: ClassVar[str] = "search"
    text: Text = Field(alias="search", description="Le texte cherché dans le catalogue.")


class OpenSheet(_Action, json_schema_extra=_fr(
        "Afficher la fiche d'un service.")):
    """Show the service's sheet."""

    kind: ClassVar[str] = "open_sheet"
    service: ServiceId = Field(alias="open_sheet")


class Connect(_Action, json_schema_extra=_fr(
        "Fiche → Connecter → dialogue de consentement, permissions refusées décochées, "
        "Autoriser.")):
    """Sheet → Connecter → consent dialog, the refused permissions switched off, Autoriser."""

    kind: ClassVar[str] = "connect"
    service: ServiceId = Field(alias="connect")
    refuse: Permissions = Field(default=(), description="Permissions décochées avant d'autoriser.")
    duration: GrantDuration = Field(default="6m", description="Durée choisie dans le dialogue.")


class RefuseConnection(_Action, json_schema_extra=_fr(
        'Fiche → Connecter → dialogue de consentement → Refuser.')):
    """Sheet → Connecter → consent dialog → Refuser."""

    kind: ClassVar[str] = "refuse_connection"
    service: ServiceId = Field(alias="refuse_connection")


class Narrow(_Action, json_schema_extra=_fr(
        'Mes services : retirer des permissions à une autorisation.')):
    """Mes services: take some permissions away from a grant."""

    kind: ClassVar[str] = "narrow"
    service: ServiceId = Field(alias="narrow")
    remove: Permissions = Field(min_length=1, description="Permissions retirées.")


class ChangeDuration(_Action, json_schema_extra=_fr(
        "Mes services : changer la durée de validité d'une autorisation.")):
    """Mes services: give a grant a new validity."""

    kind: ClassVar[str] = "change_duration"
    service: ServiceId = Field(alias="change_duration")
    duration: GrantDuration = Field(description="La nouvelle durée de validité.")


class Revoke(_Action, json_schema_extra=_fr(
        "Mes services : retirer toute l'autorisation, après confirmation.")):
    """Mes services: revoke the whole grant, confirmed."""

    kind: ClassVar[str] = "revoke"
    service: ServiceId = Field(alias="revoke")


class SwitchSpace(_Action, json_schema_extra=_fr(
        'Afficher son propre espace (self) ou celui de la personne représentée (child).')):
    """Show one's own space or the represented person's."""

    kind: ClassVar[str] = "switch_space"
    space: Literal["self", "child"] = Field(alias="switch_space")


class Press(_Action, json_schema_extra=_fr(
        "Des touches, pour ce qu'aucune autre action ne couvre.")):
    """Raw keys, for what no other action covers."""

    kind: ClassVar[str] = "press"
    keys: Annotated[tuple[Annotated[str, Field(min_length=1)], ...],
                    BeforeValidator(_one_or_many)] = Field(alias="press", min_length=1)


# --- actions of the facilitator ----------------------------------------------------------------


class AdvanceClock(_FacilitatorAction, json_schema_extra=_fr(
        'Animateur : avancer l\'horloge simulée (POST /admin/clock {"jump": ...}).')):
    """`POST /admin/clock {"jump": ...}`."""

    kind: ClassVar[str] = "advance_clock"
    jump: Annotated[str, BeforeValidator(_jump)] = Field(
        alias="advance_clock", description="Durée du saut : 7d, 12h, 20m, P7D…",
        json_schema_extra={"examples": ["7d", "12h", "P7D"]})

    @property
    def span(self) -> timedelta:
        span = jump_span(self.jump)
        assert span is not None  # checked on validation
        return span


class Act(_FacilitatorAction, json_schema_extra=_fr(
        'Animateur : le service fait maintenant son travail habituel pour ce patient.')):
    """The service does its usual work now, for this patient."""

    kind: ClassVar[str] = "act"
    service: ServiceId = Field(alias="act")


class Misbehave(_FacilitatorAction, json_schema_extra=_fr(
        "Animateur : le service demande ce qu'il n'a pas le droit d'avoir.")):
    """The service asks for what it may not have."""

    kind: ClassVar[str] = "misbehave"
    service: ServiceId = Field(alias="misbehave")
    misbehaviour: Literal["outside_grant", "expired_token"] = Field(
        default="outside_grant", alias="kind",
        description="outside_grant : des données hors autorisation (refusé) ; expired_token : "
                    "un jeton déjà remplacé (non autorisé).")


class Suspend(_FacilitatorAction, json_schema_extra=_fr(
        "Animateur : l'autorité déréférence le service ; ses jetons cessent de fonctionner, "
        "les patients sont prévenus.")):
    """The authority de-references the service: its tokens stop, patients are told."""

    kind: ClassVar[str] = "suspend"
    service: ServiceId = Field(alias="suspend")


class Reinstate(_FacilitatorAction, json_schema_extra=_fr(
        "Animateur : l'autorité référence à nouveau le service.")):
    """The authority references the service again."""

    kind: ClassVar[str] = "reinstate"
    service: ServiceId = Field(alias="reinstate")


ACTION_CLASSES: Final = (Open, Search, OpenSheet, Connect, RefuseConnection, Narrow,
                         ChangeDuration, Revoke, SwitchSpace, Press, AdvanceClock, Act, Misbehave,
                         Suspend, Reinstate)
ACTIONS: Final[dict[str, type[_Action]]] = {cls.kind: cls for cls in ACTION_CLASSES}
"""YAML key → action class, in the contract's order."""


def _tag_of(keys: tuple[str, ...]) -> Callable[[Any], str | None]:
    def tag(value: Any) -> str | None:
        if isinstance(value, BaseModel):
            return getattr(value, "kind", None)
        if isinstance(value, dict):
            return next((key for key in keys if key in value), None)
        return None
    return tag


def _one_action(value: object) -> object:
    """`do` names exactly one known action."""
    if value is None or isinstance(value, _Action):
        return value
    if not isinstance(value, dict):
        raise _error("action_shape", "'do' is a mapping whose key names the action, e.g. "
                     "{open: store}; actions: {choices}", choices=", ".join(ACTIONS))
    named = [key for key in value if key in ACTIONS]
    if not named:
        raise _error("action_unknown", "unknown action '{name}'; actions: {choices}",
                     name=", ".join(map(str, value)) or "—", choices=", ".join(ACTIONS))
    if len(named) > 1:
        raise _error("action_several", "one action per step, not {names}",
                     names=", ".join(named))
    return value


Action = Annotated[
    Annotated[Open, Tag("open")] | Annotated[Search, Tag("search")]
    | Annotated[OpenSheet, Tag("open_sheet")] | Annotated[Connect, Tag("connect")]
    | Annotated[RefuseConnection, Tag("refuse_connection")] | Annotated[Narrow, Tag("narrow")]
    | Annotated[ChangeDuration, Tag("change_duration")] | Annotated[Revoke, Tag("revoke")]
    | Annotated[SwitchSpace, Tag("switch_space")] | Annotated[Press, Tag("press")]
    | Annotated[AdvanceClock, Tag("advance_clock")] | Annotated[Act, Tag("act")]
    | Annotated[Misbehave, Tag("misbehave")] | Annotated[Suspend, Tag("suspend")]
    | Annotated[Reinstate, Tag("reinstate")],
    Discriminator(_tag_of(tuple(ACTIONS))),
]
"""One action of a step: the union of `ACTION_CLASSES`, told apart by their YAML key."""


# --- expectations ------------------------------------------------------------------------------


class _Expectation(_Model):
    kind: ClassVar[str]


class SectionIs(_Expectation, json_schema_extra=_fr(
        "L'application affiche cette section.")):
    """The app shows that section."""

    kind: ClassVar[str] = "section"
    section: Section


class TextShown(_Expectation, json_schema_extra=_fr(
        "Ce texte est visible à l'écran (sans tenir compte de la casse).")):
    """TEXT is visible on the screen (case-insensitive)."""

    kind: ClassVar[str] = "text"
    text: Text


class TextAbsent(_Expectation, json_schema_extra=_fr(
        "Ce texte n'est pas visible à l'écran (sans tenir compte de la casse).")):
    """TEXT is not visible on the screen (case-insensitive)."""

    kind: ClassVar[str] = "no_text"
    text: Text = Field(alias="no_text")


class NotificationShown(_Expectation, json_schema_extra=_fr(
        "Une notification dont le titre ou le message contient ce texte est apparue pendant "
        "l'étape.")):
    """A toast whose title or message contains TEXT appeared during the step."""

    kind: ClassVar[str] = "notification"
    text: Text = Field(alias="notification")


class _Nested(_Expectation):
    """Written `{<kind>: {field: value...}}`: the key holds a mapping of the fields."""

    @model_validator(mode="wrap")
    @classmethod
    def _unwrap(cls, value: Any, handler: Callable[[Any], Any]) -> Any:
        if isinstance(value, dict) and set(value) == {cls.kind}:
            inner = value[cls.kind]
            if not isinstance(inner, dict):
                raise _error("expectation_mapping", "'{kind}' holds a mapping, e.g. "
                             "{{kind}: {service: pesee-claire}}", kind=cls.kind)
            value = inner
        return handler(value)

    @model_serializer(mode="wrap")
    def _wrap(self, handler: Callable[[Any], Any]) -> dict[str, Any]:
        return {self.kind: handler(self)}

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: core_schema.CoreSchema,
                                     handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        inner = handler.resolve_ref_schema(handler(schema))
        return {"type": "object", "title": cls.__name__, "description": inner.pop(
                "description", None) or "", "properties": {cls.kind: inner},
                "required": [cls.kind], "additionalProperties": False}


class GrantState(_Nested, json_schema_extra=_fr(
        'Le registre des autorisations dit cela maintenant pour ce service.')):
    """The register says so now, for that service's grant."""

    kind: ClassVar[str] = "grant"
    service: ServiceId
    status: GrantStatus | None = Field(default=None, description="État de l'autorisation ; "
                                       "none : aucune autorisation.")
    allows: Permissions = Field(default=(), description="Permissions accordées.")
    denies: Permissions = Field(default=(), description="Permissions non accordées.")
    duration: GrantDuration | None = None

    @model_validator(mode="after")
    def _says_something(self) -> GrantState:
        if self.status is None and not (self.allows or self.denies or self.duration):
            raise _error("grant_empty", "say what to check: status, allows, denies or duration")
        if self.status == "none" and (self.allows or self.denies or self.duration):
            raise _error("grant_none", "status none: no grant, so nothing to allow or deny")
        both = set(self.allows) & set(self.denies)
        if both:
            raise _error("grant_both", "{permissions} both allowed and denied",
                         permissions=", ".join(sorted(map(str, both))))
        return self


class _ExchangeFilter(_Nested):
    service: ServiceId
    outcome: Outcome = Field(default="any", description="allowed | denied | unauthorized | any")
    access: Access | None = None
    data: DataFilter | None = Field(default=None, description="« classe » ou "
                                    "« classe/sous-type ».")

    def matches(self, service: str, outcome: str, access: str, data_class: str,
                subtype: str | None) -> bool:
        """Whether one exchange (as the log records it) is of the kind this filter names."""
        if service != self.service or (self.outcome != "any" and outcome != self.outcome):
            return False
        if self.access is not None and access != self.access:
            return False
        if self.data is None:
            return True
        return data_class == self.data.data_class and self.data.subtype in (None, subtype)


class ExchangeSeen(_ExchangeFilter, json_schema_extra=_fr(
        "Au moins count échanges de ce genre depuis le début de l'étape.")):
    """At least `count` such exchanges of that service since the step began."""

    kind: ClassVar[str] = "exchange"
    count: int = Field(default=1, ge=1, le=10_000)


class NoExchange(_ExchangeFilter, json_schema_extra=_fr(
        "Aucun échange de ce genre depuis le début de l'étape.")):
    """No such exchange of that service since the step began."""

    kind: ClassVar[str] = "no_exchange"


EXPECTATION_CLASSES: Final = (SectionIs, TextShown, TextAbsent, NotificationShown, GrantState,
                              ExchangeSeen, NoExchange)
EXPECTATIONS: Final[dict[str, type[_Expectation]]] = {
    cls.kind: cls for cls in EXPECTATION_CLASSES}
"""YAML key → expectation class."""


def _one_expectation(value: object) -> object:
    if isinstance(value, _Expectation):
        return value
    if not isinstance(value, dict) or len(value) != 1:
        raise _error("expectation_shape", "each expectation is a one-key mapping, e.g. "
                     "{text: Pesée Claire}; expectations: {choices}",
                     choices=", ".join(EXPECTATIONS))
    (name,) = value
    if name not in EXPECTATIONS:
        raise _error("expectation_unknown", "unknown expectation '{name}'; expectations: "
                     "{choices}", name=str(name), choices=", ".join(EXPECTATIONS))
    return value


Expectation = Annotated[
    Annotated[SectionIs, Tag("section")] | Annotated[TextShown, Tag("text")]
    | Annotated[TextAbsent, Tag("no_text")] | Annotated[NotificationShown, Tag("notification")]
    | Annotated[GrantState, Tag("grant")] | Annotated[ExchangeSeen, Tag("exchange")]
    | Annotated[NoExchange, Tag("no_exchange")],
    Discriminator(_tag_of(tuple(EXPECTATIONS))),
]
"""One expectation: the union of `EXPECTATION_CLASSES`, told apart by their YAML key."""


# --- scenario ----------------------------------------------------------------------------------


class Step(_Model, json_schema_extra=_fr(
        "Une étape : ce que fait la personne, ce qui doit alors être vrai, ce que dit "
        "l'animateur.")):
    """What the person does, what must then be true, and what the facilitator says."""

    title: Text = Field(description="Titre court, en français.")
    notes: Text = Field(description="Ce que l'animateur dit ou observe.")
    do: Annotated[Action | None, BeforeValidator(_one_action)] = Field(
        default=None, description="Une action, par exemple {open: store}.")
    expect: tuple[Annotated[Expectation, BeforeValidator(_one_expectation)], ...] = Field(
        default=(), description="Ce qui doit alors être vrai.")
    timeout: float = Field(default=5.0, gt=0, le=600,
                           description="Secondes laissées aux vérifications pour aboutir.")
    line: SkipJsonSchema[int] = Field(default=0, exclude=True)
    """The YAML line of the step (set by the loader; 0 when unknown)."""


class ServiceStart(_Model, json_schema_extra=_fr(
        "Un service connecté avant l'étape 1, par le vrai parcours de consentement.")):
    """A service connected before step 1, through the real consent flow."""

    service: ServiceId
    refuse: Permissions = Field(default=(), description="Permissions refusées.")
    duration: GrantDuration = "6m"


class ClockStart(_Model):
    """The simulated clock at the start: paused (default), running, or running at a speed."""

    paused: bool = True
    speed: float | None = Field(default=None, gt=0, le=3600)

    @model_validator(mode="before")
    @classmethod
    def _from_yaml(cls, value: Any) -> Any:
        if value == "paused":
            return {"paused": True}
        if value == "running":
            return {"paused": False}
        if isinstance(value, dict) and set(value) == {"speed"}:
            return {"paused": False, "speed": value["speed"]}
        if isinstance(value, ClockStart | dict):
            return value  # built in Python by field name; unknown fields still refused
        raise _error("clock", "clock is paused, running or {speed: 60}")

    @model_serializer
    def _to_yaml(self) -> Any:
        if self.paused:
            return "paused"
        return "running" if self.speed is None else {"speed": self.speed}

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: core_schema.CoreSchema,
                                     handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        return {"title": "ClockStart", "description": "paused (défaut), running ou "
                "{speed: 60} (1 s réelle = 60 s simulées).", "oneOf": [
                    {"enum": ["paused", "running"]},
                    {"type": "object", "properties": {"speed": {
                        "type": "number", "exclusiveMinimum": 0, "maximum": 3600}},
                     "required": ["speed"], "additionalProperties": False}]}


def _mailles(value: object) -> object:
    """One granularity, or a list of distinct ones (one run each)."""
    values = value if isinstance(value, list | tuple) else [value]
    if not values or any(item not in MAILLES for item in values) or (
            len(set(values)) != len(values)):
        raise _error("maille", "maille is one of {choices}, or a list of them (each once), "
                     "not {value}", choices=", ".join(MAILLES), value=_shown(value))
    return tuple(values) if isinstance(value, list | tuple) else value


class Start(_Model, json_schema_extra=_fr(
        'Le point de départ du parcours.')):
    """Where the journey starts."""

    patient: Annotated[str, Field(min_length=1, pattern=r"^\S+$")] = Field(
        description="Le compte qui se connecte (comptes du serveur simulé).")
    for_: Annotated[str, Field(min_length=1)] | None = Field(
        default=None, alias="for", description="Agir dans l'espace d'une personne représentée "
        "(child).")
    maille: Annotated[Maille | tuple[Maille, ...], BeforeValidator(_mailles)] = Field(
        default="type", description="categorie | type | ressource ; une liste joue le scénario "
        "une fois par valeur.")
    clock: ClockStart = Field(default_factory=lambda: ClockStart())
    services: tuple[ServiceStart, ...] = Field(default=(), description="Services connectés "
                                               "avant l'étape 1.")

    @field_validator("services")
    @classmethod
    def _each_once(cls, services: tuple[ServiceStart, ...]) -> tuple[ServiceStart, ...]:
        seen = [item.service for item in services]
        twice = sorted({name for name in seen if seen.count(name) > 1})
        if twice:
            raise _error("service_twice", "{services} connected twice at the start",
                         services=", ".join(twice))
        return services

    @property
    def mailles(self) -> tuple[str, ...]:
        return self.maille if isinstance(self.maille, tuple) else (self.maille,)


class Scenario(_Model, json_schema_extra=_fr(
        'Un parcours de consentement (format version 1).')):
    """One journey (format version 1)."""

    format: Literal[1] = Field(description="Version du format : 1.")
    title: Text = Field(description="Titre, en français.")
    description: str = Field(default="", description="Ce que le parcours explore.")
    tags: tuple[Annotated[str, Field(min_length=1)], ...] = ()
    lang: Literal["fr", "en"] = Field(default="fr", description="Langue des vérifications de "
                                      "texte.")
    start: Start
    steps: tuple[Step, ...] = Field(min_length=1)
    _variant: str | None = PrivateAttr(default=None)
    _lines: dict[str, int] = PrivateAttr(default_factory=dict)

    @property
    def variant(self) -> str | None:
        """`"maille=categorie"` for one of the scenarios `variants()` made; else `None`."""
        return self._variant

    def line_of(self, where: str) -> int | None:
        """The file line of a place (`steps[2].do.refuse[0]`), or of the nearest enclosing one
        written in the file; `None` for a scenario not read from a file."""
        while where:
            if where in self._lines:
                return self._lines[where]
            cut = max(where.rfind("."), where.rfind("["))
            where = where[:cut] if cut > 0 else ""
        return self._lines.get("")

    def with_lines(self, lines: dict[str, int]) -> Scenario:
        """This scenario, knowing the line of each place (`line_of`); the loader calls it."""
        self._lines = dict(lines)
        return self

    def variants(self) -> list[Scenario]:
        """One scenario per `maille` value when the file lists several; else just this one."""
        if not isinstance(self.start.maille, tuple):
            return [self]
        made = []
        for maille in self.start.maille:
            one = self.model_copy(update={"start": self.start.model_copy(
                update={"maille": maille})})
            one._variant = f"maille={maille}"
            made.append(one)
        return made
