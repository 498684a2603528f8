"""Changing the register: every change is an update of the grant row, a new version with its
snapshot, and a `grant` event, all in the caller's transaction.

The caller commits, then calls `platform.notifier.notify()` when `GrantWriter.published` is not
zero (events are read after commit). A change that lost a race with another one (the version
moved meanwhile) is refused with 409 rather than applied on top of something the patient did
not see.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection, select, update

from mock_server.catalog import Permission, describe
from mock_server.consent.model import ACTOR_PLATFORM, CHANGES, Grant, GrantError
from mock_server.consent.permissions import dump_permissions, group_key, ordered
from mock_server.consent.store import client_grants, find_grant
from mock_server.consent.validity import french_date, valid_until
from mock_server.events import publish
from mock_server.storage.schema import grant_versions, grants, oauth_clients, resources, tokens

RECONNECT = "pour ajouter une autorisation, reconnectez le service"


class GrantWriter:
    """Applies changes to the register on one connection, at one moment, for one actor."""

    def __init__(self, conn: Connection, now: datetime, actor: str) -> None:
        self.conn = conn
        self.now = now
        self.actor = actor
        self.published = 0
        """How many events this writer published (notify readers after commit when > 0)."""

    # --- consent (the OAuth consent step) ----------------------------------------------------

    def consent(self, *, patient_id: str, client_id: str, permissions: Iterable[Permission],
                duration: str, include_earlier: bool, maille: str) -> Grant:
        """Record what the patient just allowed: a new grant, or a new version `reconnected` of
        the existing one, replacing everything it said (permissions, validity, exclusions)."""
        fields = {
            "status": "active",
            "maille": maille,
            "valid_from": self.now,
            "valid_until": valid_until(duration, self.now),
            "duration": duration,
            "include_earlier": include_earlier,
            "permissions": dump_permissions(permissions),
            "excluded": "[]",
            "window_start": None,
            "window_end": None,
        }
        existing = find_grant(self.conn, patient_id, client_id)
        if existing is not None:
            return self._update(existing, fields, "reconnected")
        grant_id = uuid.uuid4().hex
        self.conn.execute(grants.insert().values(
            id=grant_id, patient_id=patient_id, client_id=client_id, version=1,
            created_at=self.now, updated_at=self.now, **fields))
        return self._recorded(grant_id, "created")

    # --- the patient's changes -----------------------------------------------------------------

    def narrow(self, grant: Grant, remove: Iterable[Permission]) -> Grant:
        """Take permissions away; taking the last one away revokes the grant (and its tokens):
        a connected service with nothing granted would only be a token kept alive."""
        self._require_active(grant)
        removed = set(remove)
        missing = [p for p in ordered(removed) if p not in grant.permissions]
        if missing:
            raise GrantError(422, "Ces permissions ne font pas partie de l'autorisation : "
                             + " ; ".join(f"« {describe(p)} »" for p in missing) + ".")
        if grant.maille == "categorie":
            self._require_whole_groups(grant, removed)
        left = [p for p in grant.permissions if p not in removed]
        if not left:
            return self.revoke(grant, permissions=())
        return self._update(grant, {"permissions": dump_permissions(left)}, "narrowed")

    def change_validity(self, grant: Grant, *, duration: str | None = None,
                        until: datetime | None = None) -> Grant:
        """A new end: `duration` counted from now, or the date `until` (in the future)."""
        self._require_active(grant)
        if duration is not None:
            end = valid_until(duration, self.now)
        else:
            if until is None or until <= self.now:
                raise GrantError(422, f"La date de fin doit être dans le futur (après le "
                                      f"{french_date(self.now)}).")
            end = until
        return self._update(grant, {"valid_until": end, "duration": duration},
                            "duration_changed")

    def exclude(self, grant: Grant, resource_ids: Iterable[str]) -> Grant:
        """Exclude some of the patient's documents from what the service may read."""
        self._require_ressource(grant, "exclure des documents")
        self._require_active(grant)
        wanted = sorted(set(resource_ids))
        known = set(self.conn.execute(
            select(resources.c.id).where(resources.c.id.in_(wanted),
                                         resources.c.patient_id == grant.patient_id,
                                         resources.c.resource_type == "DocumentReference")
        ).scalars())
        unknown = [rid for rid in wanted if rid not in known]
        if unknown:
            raise GrantError(422, "Ces identifiants ne désignent aucun de vos documents : "
                                  f"{', '.join(unknown[:10])}.")
        excluded = sorted(set(grant.excluded) | known)
        if excluded == sorted(grant.excluded):
            return grant
        return self._update(grant, {"excluded": json.dumps(excluded)}, "narrowed")

    def set_window(self, grant: Grant, start: datetime, end: datetime) -> Grant:
        """Limit what the service may read to data dated in [start, end)."""
        self._require_ressource(grant, "choisir une période")
        self._require_active(grant)
        if start >= end:
            raise GrantError(422, "Le début de la période doit précéder sa fin.")
        if (grant.window_start is not None and start < grant.window_start) or (
                grant.window_end is not None and end > grant.window_end):
            raise GrantError(400, f"La nouvelle période élargit l'ancienne : {RECONNECT}.")
        return self._update(grant, {"window_start": start, "window_end": end}, "narrowed")

    def revoke(self, grant: Grant, *, permissions: Iterable[Permission] | None = None) -> Grant:
        """Withdraw the grant and every token of this patient for this client (idempotent)."""
        if grant.status == "revoked":
            return grant
        self.conn.execute(
            update(tokens)
            .where(tokens.c.patient_id == grant.patient_id, tokens.c.client_id == grant.client_id,
                   tokens.c.revoked_at.is_(None))
            .values(revoked_at=self.now)
        )
        fields: dict = {"status": "revoked"}
        if permissions is not None:
            fields["permissions"] = dump_permissions(permissions)
        return self._update(grant, fields, "revoked")

    # --- the clock and the authority ---------------------------------------------------------

    def expire_if_due(self, grant: Grant) -> Grant:
        """Record the expiry the clock decided, the first time someone notices it."""
        if not grant.is_due_to_expire(self.now):
            return grant
        return self._update(grant, {"status": "expired"}, "expired", actor=ACTOR_PLATFORM)

    def suspend_service(self, client_id: str) -> int:
        """The authority suspends a service: every active grant to it is suspended."""
        count = 0
        for grant in client_grants(self.conn, client_id, "active"):
            if self.expire_if_due(grant).status == "active":
                self._update(grant, {"status": "suspended"}, "suspended")
                count += 1
        return count

    def reinstate_service(self, client_id: str) -> int:
        """The authority lifts a suspension: suspended grants apply again (or expire if their
        end date has passed meanwhile)."""
        grants_ = client_grants(self.conn, client_id, "suspended")
        for grant in grants_:
            self.expire_if_due(self._update(grant, {"status": "active"}, "reinstated"))
        return len(grants_)

    # --- rules -------------------------------------------------------------------------------

    def _require_active(self, grant: Grant) -> None:
        status = grant.status_at(self.now)
        if status == "revoked":
            raise GrantError(409, "Cette autorisation a été retirée : pour partager de nouveau, "
                                  "reconnectez le service depuis son application.")
        if status == "expired":
            end = french_date(grant.valid_until) if grant.valid_until else "?"
            raise GrantError(409, f"Cette autorisation a expiré le {end} : pour partager de "
                                  "nouveau, reconnectez le service depuis son application.")
        if status == "suspended":
            raise GrantError(409, "Ce service est suspendu par l'autorité de référencement : son "
                                  "autorisation peut seulement être retirée.")

    @staticmethod
    def _require_ressource(grant: Grant, what: str) -> None:
        if grant.maille != "ressource":
            raise GrantError(409, f"Impossible de {what} : cette autorisation a été donnée en "
                                  f"maille « {grant.maille} » ; seule la maille « ressource » "
                                  "permet d'exclure des documents ou de choisir une période.")

    @staticmethod
    def _require_whole_groups(grant: Grant, removed: set[Permission]) -> None:
        """In `categorie` granularity a data class × access goes as a whole."""
        for key in sorted({group_key(p) for p in removed}):
            kept = [p for p in grant.permissions if group_key(p) == key and p not in removed]
            if kept:
                names = " ; ".join(f"« {describe(p)} »" for p in kept)
                raise GrantError(409, "En maille « catégorie », une catégorie se retire en entier "
                                      f": retirez aussi {names}.")

    # --- storage -------------------------------------------------------------------------------

    def _update(self, grant: Grant, fields: dict, change: str, *,
                actor: str | None = None) -> Grant:
        result = self.conn.execute(
            update(grants)
            .where(grants.c.id == grant.id, grants.c.version == grant.version)
            .values(version=grant.version + 1, updated_at=self.now, **fields)
        )
        if result.rowcount != 1:
            raise GrantError(409, "Cette autorisation vient d'être modifiée par ailleurs : "
                                  "relisez-la puis recommencez.")
        return self._recorded(grant.id, change, actor=actor)

    def _recorded(self, grant_id: str, change: str, *, actor: str | None = None) -> Grant:
        """Append the version of the change and publish its event."""
        if change not in CHANGES:
            raise ValueError(f"unknown grant change {change!r}")
        grant = Grant.from_row(self.conn.execute(select(grants).where(grants.c.id == grant_id))
                               .one())
        self.conn.execute(grant_versions.insert().values(
            grant_id=grant.id, version=grant.version, at=self.now, actor=actor or self.actor,
            change=change,
            snapshot=json.dumps(grant.snapshot(), ensure_ascii=False, separators=(",", ":"))))
        name = self.conn.execute(
            select(oauth_clients.c.name).where(oauth_clients.c.client_id == grant.client_id)
        ).scalar_one()
        publish(self.conn, patient_id=grant.patient_id, kind="grant", at=self.now, payload={
            "grant_id": grant.id, "client_id": grant.client_id, "service_name": name,
            "change": change, "status": grant.status, "version": grant.version})
        self.published += 1
        return grant
