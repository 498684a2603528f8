"""SMART App Launch v2 scopes (*our choice* for the wire format, DESIGN §5).

`patient/Observation.rs?code=http://loinc.org|29463-7` reads as: in the patient's compartment,
Observation, interactions read+search, only resources whose `code` search parameter has that token.
Interactions are a subset of `c r u d s` in that order; v1 suffixes `.read` / `.write` / `.*` are
accepted as `rs` / `cud` / `cruds`. Write never implies read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl

NON_RESOURCE_SCOPES = frozenset({"openid", "fhirUser", "profile", "offline_access", "online_access",
                                 "launch/patient"})
"""Scopes that name no resource and are understood by this server."""

SUPPORTED_RESOURCE_TYPES = frozenset({"Patient", "Observation", "DocumentReference", "Appointment",
                                      "Binary", "Device", "Consent", "AuditEvent"})

_V1 = {"read": "rs", "write": "cud", "*": "cruds"}
_SCOPE = re.compile(r"^(patient|user|system)/([A-Za-z]+|\*)\.([a-z*]+)(?:\?(.+))?$")
_ORDER = "cruds"


class InvalidScope(ValueError):
    """A scope string this server cannot honour, with the reason in words."""


@dataclass(frozen=True)
class ResourceScope:
    """One parsed SMART resource scope."""

    context: str
    resource_type: str
    interactions: frozenset[str]
    params: tuple[tuple[str, str], ...]
    raw: str

    def covers(self, resource_type: str, interaction: str) -> bool:
        return self.resource_type in ("*", resource_type) and interaction in self.interactions

    def matches(self, tokens: Mapping[str, Iterable[str]]) -> bool:
        """True when the resource carries every `param=value` this scope is restricted to."""
        return all(value in set(tokens.get(name, ())) for name, value in self.params)


def _interactions(suffix: str, raw: str) -> frozenset[str]:
    if suffix in _V1:
        return frozenset(_V1[suffix])
    letters = [c for c in suffix]
    if not letters or any(c not in _ORDER for c in letters):
        raise InvalidScope(f"« {raw} » : les droits doivent être des lettres parmi c, r, u, d, s.")
    if "".join(sorted(letters, key=_ORDER.index)) != suffix or len(set(letters)) != len(letters):
        raise InvalidScope(
            f"« {raw} » : les droits doivent être dans l'ordre c, r, u, d, s, sans doublon."
        )
    return frozenset(letters)


def parse_resource_scope(raw: str) -> ResourceScope:
    """Parse one resource scope or raise `InvalidScope` saying why."""
    match = _SCOPE.match(raw)
    if not match:
        raise InvalidScope(f"« {raw} » n'est pas une portée SMART (contexte/Ressource.droits).")
    context, resource_type, suffix, query = match.groups()
    if resource_type != "*" and resource_type not in SUPPORTED_RESOURCE_TYPES:
        raise InvalidScope(f"« {raw} » : le type de ressource {resource_type} n'existe pas ici.")
    params = tuple(parse_qsl(query, keep_blank_values=True, strict_parsing=True)) if query else ()
    if any(not value for _, value in params):
        raise InvalidScope(f"« {raw} » : un paramètre de restriction est vide.")
    return ResourceScope(context, resource_type, _interactions(suffix, raw), params, raw)


def is_resource_scope(raw: str) -> bool:
    return "/" in raw and raw != "launch/patient"


def validate_scope_string(scope: str) -> list[str]:
    """Split a scope parameter and check every item; raises `InvalidScope` on the first bad one."""
    items = scope.split()
    for item in items:
        if is_resource_scope(item):
            parse_resource_scope(item)
        elif item not in NON_RESOURCE_SCOPES:
            raise InvalidScope(f"« {item} » n'est pas une portée connue de ce serveur.")
    return items


class ScopeSet:
    """The resource scopes of one token, answering 'may it do this?'."""

    def __init__(self, scopes: Iterable[str]) -> None:
        self.raw = tuple(scopes)
        self.resource_scopes = tuple(
            parse_resource_scope(s) for s in self.raw if is_resource_scope(s)
        )

    @classmethod
    def from_string(cls, scope: str) -> ScopeSet:
        return cls(scope.split())

    def applicable(self, resource_type: str, interaction: str) -> tuple[ResourceScope, ...]:
        """Patient/user scopes that cover this type and interaction (system scopes never do)."""
        return tuple(
            s for s in self.resource_scopes
            if s.context in ("patient", "user") and s.covers(resource_type, interaction)
        )

    def allows_type(self, resource_type: str, interaction: str) -> bool:
        """True when some scope covers the interaction on the type, restricted or not."""
        return bool(self.applicable(resource_type, interaction))

    def permits(
        self, resource_type: str, interaction: str, tokens: Mapping[str, Iterable[str]]
    ) -> bool:
        """True when some applicable scope's restrictions all match the resource's tokens."""
        return any(s.matches(tokens) for s in self.applicable(resource_type, interaction))

    def is_unrestricted(self, resource_type: str, interaction: str) -> bool:
        """True when an applicable scope has no `?param=` restriction."""
        return any(not s.params for s in self.applicable(resource_type, interaction))
