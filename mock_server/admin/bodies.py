"""The JSON bodies the facilitator console accepts, checked field by field with French problems.

`POST /admin/clock` takes exactly one of `pause`, `resume`, `speed`, `jump`, `to`; the service
actions take an optional `patient` (a username or a patient id); `misbehave` needs `kind`;
`maille` one of the three granularities; `prepare` an account, whose space (`for`) and the
services to connect; `participants` a persona and how many copies.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Literal, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from starlette.requests import Request

from mock_server.problems import Problem
from mock_server.settings import Maille

MAX_BODY = 64 * 1024
MAX_SPEED = 3600.0
"""Fastest clock: one simulated hour per real second."""
MAX_PARTICIPANTS = 30
"""Copies of a persona made by one call (a workshop table, not a load test)."""
MAX_CONNECTIONS = 20
"""Services one `prepare` connects, at most (each goes through the whole consent flow)."""

M = TypeVar("M", bound=BaseModel)


class _Body(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ClockChange(_Body):
    """One change of the clock."""

    pause: Literal[True] | None = None
    resume: Literal[True] | None = None
    speed: float | None = Field(default=None, gt=0, le=MAX_SPEED)
    jump: str | None = Field(default=None, min_length=1, max_length=40)
    """A duration: `7d`, `12h`, `P7D`..."""
    to: datetime | None = None
    """A later moment (ISO 8601 with a time zone): the clock jumps there."""

    @model_validator(mode="after")
    def _one(self) -> ClockChange:
        given = [name for name in ("pause", "resume", "speed", "jump", "to")
                 if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("donnez exactement un changement : {\"pause\": true}, "
                             "{\"resume\": true}, {\"speed\": 60}, {\"jump\": \"7d\"} ou "
                             "{\"to\": \"2026-12-03T09:00:00Z\"}.")
        if self.to is not None and self.to.tzinfo is None:
            raise ValueError("« to » doit porter un fuseau horaire (par exemple …Z ou "
                             "…+01:00).")
        return self


class Reset(_Body):
    state: str = Field(default="initial", min_length=1, max_length=80)


class Target(_Body):
    """Which patient a service action targets (all its connected patients when absent)."""

    patient: str | None = Field(default=None, min_length=1, max_length=100)


class Misbehaviour(Target):
    kind: Literal["outside_grant", "expired_token"]


class MailleChange(_Body):
    maille: Maille


class PreparedConnection(_Body):
    """A service to connect through the consent flow (checked further by `ConnectionSpec`)."""

    service: str = Field(min_length=1, max_length=100)
    refuse: list[str] = Field(default_factory=list, max_length=60)
    """`class/subtype/access` permissions to switch off, or `class/*/access`."""
    duration: str = Field(default="6m", min_length=1, max_length=20)


class Prepare(_Body):
    """One patient's starting state: the account, whose space, the services connected."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    account: str = Field(min_length=1, max_length=100)
    for_: str | None = Field(default=None, alias="for", min_length=1, max_length=40)
    """Persona key of a represented patient (`child`), as in `states.yaml`."""
    connections: list[PreparedConnection] = Field(default_factory=list,
                                                  max_length=MAX_CONNECTIONS)
    keep_data: bool = False
    """True: the patient's data stay as they are (only what services did is forgotten), e.g.
    to release a space at the end of a run when the next run prepares it again anyway."""


class NewParticipants(_Body):
    persona: str = Field(min_length=1, max_length=100)
    """The username of the persona copied (`camille.martin`)."""
    count: int = 1

    @field_validator("count")
    @classmethod
    def _bounded(cls, count: int) -> int:
        if not 1 <= count <= MAX_PARTICIPANTS:
            raise ValueError(f"entre 1 et {MAX_PARTICIPANTS} participants par appel (demandé : "
                             f"{count}) ; pour plus, appelez plusieurs fois.")
        return count


class ClientRegistration(_Body):
    """An outside client, as RFC 7591 metadata."""

    client_name: str = Field(min_length=1, max_length=200)
    redirect_uris: list[str] = Field(min_length=1, max_length=10)
    token_endpoint_auth_method: Literal["client_secret_basic", "client_secret_post",
                                        "none"] = "client_secret_basic"
    scope: str | None = Field(default=None, max_length=2000)


_MESSAGES = {
    "missing": "champ obligatoire absent",
    "extra_forbidden": "champ inconnu",
    "greater_than": "doit être supérieur à {gt}",
    "less_than_equal": "doit être au plus {le}",
    "greater_than_equal": "doit être au moins {ge}",
    "float_parsing": "doit être un nombre",
    "int_parsing": "doit être un nombre entier",
    "int_type": "doit être un nombre entier",
    "int_from_float": "doit être un nombre entier",
    "string_too_long": "doit faire au plus {max_length} caractères",
    "too_long": "au plus {max_length} éléments",
    "float_type": "doit être un nombre",
    "string_type": "doit être une chaîne de caractères",
    "list_type": "doit être une liste",
    "datetime_from_date_parsing": "doit être une date et heure ISO 8601",
    "datetime_parsing": "doit être une date et heure ISO 8601",
    "datetime_type": "doit être une date et heure ISO 8601",
    "string_too_short": "ne doit pas être vide",
    "too_short": "ne doit pas être vide",
}


def _reason(error: dict) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return f"valeur inconnue ; valeurs possibles : {expected}"
    template = _MESSAGES.get(kind)
    return template.format(**ctx) if template else str(error["msg"])


async def read_body(request: Request, model: type[M]) -> M:
    """The request's JSON body as `model` (an empty body is `{}`); 400/413/422 problems."""
    raw = await request.body()
    if len(raw) > MAX_BODY:
        raise Problem(413, "Requête trop volumineuse", f"Le corps dépasse {MAX_BODY} octets.")
    try:
        data = json.loads(raw) if raw.strip() else {}
    except (ValueError, UnicodeDecodeError):
        raise Problem(400, "Requête invalide", "Le corps de la requête doit être du JSON.") \
            from None
    if not isinstance(data, dict):
        raise Problem(400, "Requête invalide", "Le corps de la requête doit être un objet JSON.")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise Problem(422, "Requête invalide", validation_detail(exc)) from None


def validation_detail(exc: ValidationError, *where: str | int) -> str:
    """The first few faults of `exc`, each after its place in the body (`where` prefixes it)."""
    parts = []
    for error in exc.errors()[:5]:
        field = ".".join(str(part) for part in (*where, *error["loc"]))
        parts.append(f"{field} : {_reason(error)}" if field else _reason(error))
    return " ; ".join(parts).rstrip(".") + "."
