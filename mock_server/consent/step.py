"""What the OAuth consent step needs from the register: the catalogue's words for a service,
the groups of the `categorie` granularity, and recording the patient's decision as a grant.

For a catalogue service each requested scope is shown with the catalogue's sentence and the
reason the service's sheet gives; other clients get the generic wording of their scopes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection

from mock_server.catalog import Catalog, describe, permission_from_scope
from mock_server.consent.changes import GrantWriter
from mock_server.consent.model import GRANTED_KINDS
from mock_server.consent.permissions import group_key, group_label, permissions_of_scopes
from mock_server.consent.permissions import scope_permissions as permissions_of
from mock_server.oauth.wording import Permission as ScopeWording
from mock_server.oauth.wording import describe as describe_scope
from mock_server.scopes import InvalidScope


@dataclass(frozen=True)
class ServiceSummary:
    """Who asks: the store sheet's essentials, shown above the permissions."""

    id: str
    name: str
    editor: str
    editor_country: str
    host: str
    hds_certified: bool
    host_country: str
    purposes: tuple[str, ...]
    privacy_policy_url: str

    def as_json(self) -> dict:
        return {
            "id": self.id, "name": self.name,
            "editor": {"legal_name": self.editor, "country": self.editor_country},
            "hosting": {"provider": self.host, "hds_certified": self.hds_certified,
                        "country": self.host_country},
            "purposes": list(self.purposes),
            "privacy_policy_url": self.privacy_policy_url,
        }


@dataclass(frozen=True)
class ConsentGroup:
    """Requested scopes accepted or refused together in `categorie` granularity."""

    key: str
    """`<data class>.<access>` (e.g. `measures.read`), or the scope itself when it spans
    several classes or none (e.g. `patient/*.rs`)."""
    label: str
    scopes: tuple[str, ...]


def service_summary(catalog: Catalog, client_id: str) -> ServiceSummary | None:
    """The summary of a catalogue service (None for other clients)."""
    sheet = catalog.get(client_id)
    if sheet is None:
        return None
    return ServiceSummary(
        id=sheet.id, name=sheet.name, editor=sheet.editor.legal_name,
        editor_country=sheet.editor.country, host=sheet.hosting.provider,
        hds_certified=sheet.hosting.hds_certified, host_country=sheet.hosting.country,
        purposes=sheet.purposes, privacy_policy_url=sheet.privacy_policy_url)


def consent_wording(catalog: Catalog, client_id: str,
                    scopes: Sequence[str]) -> tuple[ScopeWording, ...]:
    """One line per requested resource scope: sentence, access and (catalogue) reason."""
    sheet = catalog.get(client_id)
    reasons = {p.permission: p.reason for p in sheet.permissions} if sheet else {}
    lines = []
    for scope in scopes:
        generic = describe_scope(scope)
        try:
            permission = permission_from_scope(scope)
        except InvalidScope:
            lines.append(generic)
            continue
        if permission in reasons:
            generic = ScopeWording(scope, describe(permission), generic.access,
                                   reasons[permission])
        lines.append(generic)
    return tuple(lines)


def scope_group(scope: str) -> tuple[str, str]:
    """(key, label) of the `categorie` group a requested resource scope belongs to."""
    keys = {group_key(p) for p in permissions_of(scope)}
    if len(keys) == 1:
        key = keys.pop()
        return key, group_label(key)
    return scope, describe_scope(scope).sentence


def scope_details(scope: str) -> dict:
    """What the JSON consent step tells the app about one scope besides its sentence: its
    `categorie` group and the register permissions it stands for."""
    return {"group": scope_group(scope)[0],
            "covers": [{"data_class": p.data_class, "subtype": p.subtype, "access": p.access}
                       for p in permissions_of(scope)]}


def consent_groups(scopes: Sequence[str]) -> tuple[ConsentGroup, ...]:
    """The requested resource scopes grouped by data class × access, in request order."""
    groups: dict[str, tuple[str, list[str]]] = {}
    for scope in scopes:
        key, label = scope_group(scope)
        groups.setdefault(key, (label, []))[1].append(scope)
    return tuple(ConsentGroup(key, label, tuple(items)) for key, (label, items) in groups.items())


def split_group(groups: Sequence[ConsentGroup], ticked: Sequence[str]) -> ConsentGroup | None:
    """The first group the patient ticked only partly, if any."""
    chosen = set(ticked)
    for group in groups:
        kept = chosen.intersection(group.scopes)
        if kept and len(kept) != len(group.scopes):
            return group
    return None


def record_consent(conn: Connection, *, client_id: str, client_kind: str, patient_id: str,
                   actor: str, kept_scopes: Sequence[str], duration: str,
                   include_earlier: bool, maille: str, now: datetime) -> GrantWriter | None:
    """Create or renew the grant matching what the patient kept (for services and outside
    clients; the patient's own app has none). Returns the writer (to notify after commit)."""
    if client_kind not in GRANTED_KINDS:
        return None
    writer = GrantWriter(conn, now, actor)
    writer.consent(patient_id=patient_id, client_id=client_id,
                   permissions=permissions_of_scopes(kept_scopes), duration=duration,
                   include_earlier=include_earlier, maille=maille)
    return writer
