"""What the store API answers (also its OpenAPI documentation)."""

from __future__ import annotations

from pydantic import BaseModel

from mock_server.catalog.models import (
    DataClass,
    OfferorKind,
    PlatformName,
    Pricing,
    ReferencingStatus,
    RequestedPermission,
    ServiceSheet,
    UseCase,
)
from mock_server.catalog.permissions import describe, requested_scopes, scope_for


class ServiceSummary(BaseModel):
    """One line of the store list."""

    id: str
    name: str
    editor: str
    offeror_kind: OfferorKind
    short_description: str
    use_cases: tuple[UseCase, ...]
    pricing: Pricing
    platforms: tuple[PlatformName, ...]
    referencing_status: ReferencingStatus
    hds_certified: bool
    reads: list[DataClass]
    writes: list[DataClass]

    @classmethod
    def of(cls, service: ServiceSheet) -> ServiceSummary:
        def classes(access: str) -> list[str]:
            return sorted({p.data_class for p in service.permissions if p.access == access})

        return cls(
            id=service.id, name=service.name, editor=service.editor.legal_name,
            offeror_kind=service.offeror_kind, short_description=service.short_description,
            use_cases=service.use_cases, pricing=service.pricing, platforms=service.platforms,
            referencing_status=service.referencing.status,
            hds_certified=service.hosting.hds_certified,
            reads=classes("read"), writes=classes("write"),
        )


class ServiceList(BaseModel):
    """`GET /store/services`: how many services match, and their summaries sorted by name."""

    total: int
    services: list[ServiceSummary]


class PermissionView(RequestedPermission):
    """A requested permission with its scope on the wire and the sentence the patient reads."""

    scope: str
    sentence: str


class ServiceDetail(ServiceSheet):
    """`GET /store/services/{id}`: the full sheet, each permission explained, all scopes asked."""

    permissions: tuple[PermissionView, ...]
    scopes: list[str]

    @classmethod
    def of(cls, service: ServiceSheet, lang: str) -> ServiceDetail:
        permissions = [
            PermissionView(**p.model_dump(), scope=scope_for(p), sentence=describe(p, lang))
            for p in service.permissions
        ]
        return cls(**{**dict(service), "permissions": permissions,
                      "scopes": requested_scopes(service)})


class CodeLabel(BaseModel):
    """A code of a vocabulary and its label in the asked language."""

    code: str
    label: str
