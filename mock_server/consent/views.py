"""Grants as the patient API shows them (JSON)."""

from __future__ import annotations

from mock_server.consent.model import Grant
from mock_server.consent.permissions import permission_json
from mock_server.consent.store import Version
from mock_server.consent.validity import iso


def grant_json(grant: Grant, client: tuple[str, str] | None) -> dict:
    """One grant: the service, its status and version, validity and permissions in words.

    `client` is the (name, kind) of the grant's client.
    """
    name, kind = client or (grant.client_id, None)
    return {
        "id": grant.id,
        "service": {"id": grant.client_id, "name": name, "kind": kind},
        "status": grant.status,
        "version": grant.version,
        "maille": grant.maille,
        "valid_from": iso(grant.valid_from),
        "valid_until": iso(grant.valid_until),
        "duration": grant.duration,
        "include_earlier": grant.include_earlier,
        "permissions": [permission_json(p) for p in grant.permissions],
        "excluded": list(grant.excluded),
        "window": grant.window_json(),
        "created_at": iso(grant.created_at),
        "updated_at": iso(grant.updated_at),
    }


def version_json(version: Version) -> dict:
    """One entry of a grant's history."""
    return {"version": version.version, "at": iso(version.at), "actor": version.actor,
            "change": version.change, "snapshot": version.snapshot}
