"""The store catalogue as typed, validated objects: services, their sheets and permissions.

Validation is strict on purpose: a sheet is what a patient reads before consenting, so a missing
field, a measure the platform does not know or a write on a computed measure (BMI) is an error with
a French message, never a silent default. Checks that need the whole catalogue (unique ids, every
use case and kind of offeror covered) live on `Catalog`.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cached_property
from typing import Annotated, Literal, NoReturn, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from mock_server.reference import document_group_by_key, measure_by_key

UseCase = Literal[
    "suivi-pathologie", "grossesse", "prevention", "carnet-vaccination", "pre-post-hospitalisation",
    "observance", "rendez-vous", "bien-etre", "autonomie", "mesures",
]
"""Use cases of the call for applications for the ENS catalogue."""

OfferorKind = Literal[
    "editeur-logiciel", "teleconsultation", "prise-de-rendez-vous", "portail-patient-hospitalier",
    "fabricant-objet-connecte",
]
"""Who offers the service."""

DataClass = Literal["agenda", "documents", "measures"]
Access = Literal["read", "write"]
Pricing = Literal["gratuit", "payant", "freemium"]
PlatformName = Literal["web", "ios", "android"]
ReferencingStatus = Literal["reference", "suspendu", "en-cours"]
"""`reference`: listed in the store; `suspendu`: de-referenced by the authority;
`en-cours`: under review."""

EuCountry = Literal[
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
]
"""ISO 3166-1 alpha-2 codes of the 27 European Union member states."""

ALL = "all"
"""Subtype meaning every measure, every document group, or the whole agenda."""

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
"""A non-empty string (surrounding blanks removed)."""

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_EMAIL = re.compile(r"^[^@\s]+@([a-z0-9-]+\.)*example\.fr$")


def codes(literal: object) -> tuple[str, ...]:
    """The codes of one of the Literal vocabularies above, in declaration order."""
    return get_args(literal)


def where(index: int, service_id: str | None, field: str) -> str:
    """How an error names its place: 'service « x » (n° 3), champ « permissions[0].subtype »'."""
    who = f"service « {service_id} »" if service_id else "service sans identifiant"
    return f"{who} (n° {index + 1}), champ « {field} »"


def fail(detail: str) -> NoReturn:
    """Reject the value being validated with a French sentence (kept verbatim in the error)."""
    raise PydanticCustomError("catalogue", "{detail}", {"detail": detail})


def _not_empty(values: tuple) -> tuple:
    # A tuple's min_length would also be reported when one item is merely invalid.
    if not values:
        fail("la liste ne doit pas être vide.")
    return values


def _unique(values: tuple, what: str) -> tuple:
    seen: set = set()
    for value in values:
        if value in seen:
            fail(f"{what} « {value} » figure deux fois.")
        seen.add(value)
    return values


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Permission(_Strict):
    """What a service may do: read or write one kind of data (DESIGN §5).

    Write never implies read.
    """

    data_class: DataClass
    subtype: str
    access: Access

    @field_validator("subtype")
    @classmethod
    def _subtype_exists(cls, subtype: str, info: ValidationInfo) -> str:
        data_class = info.data.get("data_class")
        if data_class == "agenda" and subtype != ALL:
            fail(f"l'agenda se partage en entier : sous-type « {ALL} » attendu, pas « {subtype} ».")
        if data_class == "measures" and subtype != ALL and subtype not in measure_by_key():
            fail(f"mesure « {subtype} » inconnue ; mesures possibles : "
                 f"{', '.join([*measure_by_key(), ALL])}.")
        if data_class == "documents" and subtype != ALL and subtype not in document_group_by_key():
            fail(f"groupe de documents « {subtype} » inconnu ; groupes possibles : "
                 f"{', '.join([*document_group_by_key(), ALL])}.")
        return subtype

    @field_validator("access")
    @classmethod
    def _writable(cls, access: str, info: ValidationInfo) -> str:
        measure = measure_by_key().get(info.data.get("subtype", ""))
        if info.data.get("data_class") == "measures" and access == "write" and measure \
                and not measure.writable:
            fail(f"la mesure « {measure.label} » ({measure.key}) est calculée par la plateforme : "
                 "aucun service ne peut l'écrire.")
        return access


class RequestedPermission(Permission):
    """A permission a service asks for, with the reason the patient reads."""

    reason: Text

    @property
    def permission(self) -> Permission:
        """The bare (data class, subtype, access) triple, without the reason."""
        return Permission(data_class=self.data_class, subtype=self.subtype, access=self.access)


class Editor(_Strict):
    """The legal entity responsible for the service."""

    legal_name: Text
    country: EuCountry
    address: Text


class Hosting(_Strict):
    """Where the service's data live. Health data need a certified host (CSP art. L.1111-8)."""

    provider: Text
    hds_certified: StrictBool
    country: EuCountry
    note: Text | None = Field(default=None, validate_default=True)

    @field_validator("note")
    @classmethod
    def _explained_when_not_certified(cls, note: str | None, info: ValidationInfo) -> str | None:
        if info.data.get("hds_certified") is False and not note:
            fail("obligatoire quand hds_certified vaut false : expliquez pourquoi le service "
                 "n'a pas besoin d'un hébergeur certifié HDS.")
        return note


class Referencing(_Strict):
    """The service's state in the ENS catalogue, as decided by the authority."""

    status: ReferencingStatus
    date: dt.date
    note: Text | None = Field(default=None, validate_default=True)

    @field_validator("note")
    @classmethod
    def _explained_when_suspended(cls, note: str | None, info: ValidationInfo) -> str | None:
        if info.data.get("status") == "suspendu" and not note:
            fail("obligatoire quand le référencement est suspendu : donnez le motif.")
        return note


class DpoContact(_Strict):
    """How to reach the editor's data protection officer."""

    email: Text
    address: Text

    @field_validator("email")
    @classmethod
    def _fictitious_email(cls, email: str) -> str:
        if not _EMAIL.match(email):
            fail(f"« {email} » n'est pas une adresse électronique fictive en example.fr.")
        return email


class ServiceSheet(_Strict):
    """Everything a patient needs to consent knowingly (DESIGN §1, §7): one store entry."""

    id: str
    name: Text
    editor: Editor
    offeror_kind: OfferorKind
    short_description: Annotated[Text, StringConstraints(max_length=160)]
    description: Text
    use_cases: tuple[UseCase, ...]
    purposes: tuple[Text, ...]
    permissions: tuple[RequestedPermission, ...]
    hosting: Hosting
    referencing: Referencing
    pricing: Pricing
    price_note: Text | None = Field(default=None, validate_default=True)
    platforms: tuple[PlatformName, ...]
    dpo_contact: DpoContact
    recourse: Text
    applicable_texts: tuple[Text, ...]
    privacy_policy_url: str
    terms_url: str
    redirect_path: str

    @field_validator("id")
    @classmethod
    def _slug(cls, service_id: str) -> str:
        if not _SLUG.match(service_id):
            fail(f"« {service_id} » n'est pas un identifiant valide : lettres minuscules sans "
                 "accents, chiffres et tirets (ex. « grossesse-sereine »).")
        return service_id

    @field_validator("use_cases", "purposes", "permissions", "platforms", "applicable_texts")
    @classmethod
    def _lists_not_empty(cls, values: tuple) -> tuple:
        return _not_empty(values)

    @field_validator("use_cases")
    @classmethod
    def _distinct_use_cases(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        return _unique(values, "le cas d'usage")

    @field_validator("platforms")
    @classmethod
    def _distinct_platforms(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        return _unique(values, "la plateforme")

    @field_validator("permissions")
    @classmethod
    def _distinct_permissions(cls, values: tuple[RequestedPermission, ...]) -> tuple:
        _unique(tuple(f"{p.data_class}/{p.subtype}/{p.access}" for p in values), "la permission")
        return values

    @field_validator("price_note")
    @classmethod
    def _price_explained(cls, note: str | None, info: ValidationInfo) -> str | None:
        if info.data.get("pricing") in ("payant", "freemium") and not note:
            fail("obligatoire pour un service payant ou freemium : indiquez ce qui est payant "
                 "et combien.")
        return note

    @field_validator("recourse")
    @classmethod
    def _names_the_cnil(cls, recourse: str) -> str:
        if "CNIL" not in recourse:
            fail("le recours doit indiquer comment saisir la CNIL.")
        return recourse

    @field_validator("privacy_policy_url", "terms_url")
    @classmethod
    def _fictitious_url(cls, url: str, info: ValidationInfo) -> str:
        service_id = info.data.get("id")
        if service_id and not url.startswith(f"https://{service_id}.example.fr/"):
            fail(f"« {url} » doit être une adresse fictive https://{service_id}.example.fr/…")
        return url

    @field_validator("redirect_path")
    @classmethod
    def _callback_path(cls, path: str, info: ValidationInfo) -> str:
        service_id = info.data.get("id")
        if service_id and path != f"/services/{service_id}/callback":
            fail(f"« {path} » : chemin attendu /services/{service_id}/callback.")
        return path


class Catalog(_Strict):
    """The whole store: every referenced (or suspended, or pending) service."""

    model_config = ConfigDict(populate_by_name=True)

    meta: dict[str, str] = Field(default_factory=dict, alias="_meta")
    services: tuple[ServiceSheet, ...]

    @field_validator("services")
    @classmethod
    def _some_services(cls, services: tuple[ServiceSheet, ...]) -> tuple[ServiceSheet, ...]:
        return _not_empty(services)

    @model_validator(mode="after")
    def _whole_catalogue_checks(self) -> Catalog:
        problems = [*self._duplicate_ids(), *self._uncovered("use_cases", UseCase, "cas d'usage"),
                    *self._uncovered("offeror_kind", OfferorKind, "type d'offreur")]
        if problems:
            fail(" ; ".join(problems))
        return self

    def _duplicate_ids(self) -> list[str]:
        first: dict[str, int] = {}
        problems = []
        for index, service in enumerate(self.services):
            if service.id in first:
                problems.append(f"{where(index, service.id, 'id')} : identifiant déjà utilisé par "
                                f"le service n° {first[service.id] + 1}")
            first.setdefault(service.id, index)
        return problems

    def _uncovered(self, field: str, vocabulary: object, what: str) -> list[str]:
        covered = set()
        for service in self.services:
            value = getattr(service, field)
            covered.update(value if isinstance(value, tuple) else (value,))
        return [f"champ « {field} » : aucun service ne couvre le {what} « {code} »"
                for code in codes(vocabulary) if code not in covered]

    @cached_property
    def by_id(self) -> dict[str, ServiceSheet]:
        """Service id -> sheet."""
        return {service.id: service for service in self.services}

    def get(self, service_id: str) -> ServiceSheet | None:
        return self.by_id.get(service_id)
