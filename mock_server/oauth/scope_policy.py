"""Which scopes a client may ask for: SMART v2 containment over `mock_server.scopes`.

A requested resource scope is within an allowed one when it names the same context, the same
type (or the allowed one is `*`), a subset of its interactions, and keeps every `?param=value`
restriction of the allowed one (it may add more). Write never implies read.
"""

from __future__ import annotations

from collections.abc import Iterable

from mock_server.scopes import (
    InvalidScope,
    ResourceScope,
    is_resource_scope,
    parse_resource_scope,
    validate_scope_string,
)

ALWAYS_ALLOWED = frozenset({"launch/patient"})
"""Asks for the patient context, which every token of this server carries anyway."""

REFRESH_SCOPES = frozenset({"offline_access", "online_access"})
"""Scopes that earn a refresh token."""


def requested_scopes(scope: str | None, allowed: str) -> list[str]:
    """The items of `scope`, in order and without repeats, if all are within `allowed`.

    Raises `InvalidScope` with a French sentence naming the first item that is not.
    """
    if not scope or not scope.strip():
        raise InvalidScope("Le paramètre scope est obligatoire : il liste les données demandées.")
    items = list(dict.fromkeys(validate_scope_string(scope)))
    allowed_items = allowed.split()
    for item in items:
        if is_resource_scope(item) and parse_resource_scope(item).context == "system":
            raise InvalidScope(f"« {item} » est une portée système : une application patient "
                               "ne peut pas la demander.")
        if not is_within(item, allowed_items):
            raise InvalidScope(f"« {item} » dépasse ce que ce client a le droit de demander.")
    return items


def is_within(item: str, allowed: Iterable[str]) -> bool:
    """True when the single scope `item` is covered by one of `allowed`."""
    allowed = list(allowed)
    if not is_resource_scope(item):
        if item in ALWAYS_ALLOWED or item in allowed:
            return True
        return item == "online_access" and "offline_access" in allowed
    wanted = parse_resource_scope(item)
    return any(_covers(parse_resource_scope(a), wanted) for a in allowed if is_resource_scope(a))


def all_within(scope: str, allowed: str) -> bool:
    """True when every item of `scope` is covered by `allowed`."""
    allowed_items = allowed.split()
    try:
        return all(is_within(item, allowed_items) for item in validate_scope_string(scope))
    except InvalidScope:
        return False


def _covers(allowed: ResourceScope, wanted: ResourceScope) -> bool:
    return (
        allowed.context == wanted.context
        and allowed.resource_type in ("*", wanted.resource_type)
        and wanted.interactions <= allowed.interactions
        and set(allowed.params) <= set(wanted.params)
    )


def earns_refresh_token(scope: str) -> bool:
    return not REFRESH_SCOPES.isdisjoint(scope.split())
