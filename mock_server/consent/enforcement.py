"""The grant as it is now, for one FHIR request: what it refuses, and the SQL filter of a search.

`load_token_and_consent` reads the token, its client's kind and the patient's grant in ONE
indexed query, on every request (nothing is cached, so a change applies to the very next
request). The FHIR access module (`mock_server.fhir.access`) asks `refusal` / `search_filter`
and turns refusals into 403.
Sentences start with « Consentement non donné » (the real API answers "Consent not given").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Connection, and_, bindparam, select

from mock_server.catalog import Permission, describe
from mock_server.catalog.models import ALL
from mock_server.consent.changes import GrantWriter
from mock_server.consent.expiry import settle_expiries
from mock_server.consent.model import ACTOR_PLATFORM, GRANTED_KINDS, Grant
from mock_server.consent.permissions import ACCESS_WORDS, covers
from mock_server.consent.store import find_grant
from mock_server.consent.validity import french_date
from mock_server.events import Notifier
from mock_server.oauth.tokens import AccessToken, StoredAccessToken, hash_secret
from mock_server.storage.schema import grants, oauth_clients, resources, tokens

PREFIX = "Consentement non donné : "
_HIS_DATA = {"measures": "ses mesures de santé", "documents": "ses documents",
             "agenda": "son agenda"}



@dataclass(frozen=True)
class Item:
    """The resource a read is about, as the grant's finer rules see it."""

    id: str
    date: datetime | None


@dataclass(frozen=True)
class ConsentState:
    """The caller's client kind and the patient's grant to it, as read for this request."""

    client_kind: str | None
    grant: Grant | None
    now: datetime

    @property
    def applies(self) -> bool:
        """True for services and outside clients; the patient's own app has no grant."""
        return self.client_kind in GRANTED_KINDS

    def refusal(self, data_class: str | None, access: str, subtype: str | None = None,
                item: Item | None = None) -> str | None:
        """Why the grant refuses `access` to `data_class` (any subtype when `subtype` is None;
        None for types outside the data classes: then only a usable grant is needed), or None."""
        if not self.applies:
            return None
        grant = self.grant
        unusable = self._unusable(grant)
        if unusable or grant is None or data_class is None:
            return unusable
        if subtype is None and not covers(grant.permissions, data_class, access):
            return (f"{PREFIX}le patient n'a accordé à ce service aucune permission de "
                    f"{ACCESS_WORDS[access]} sur {_HIS_DATA[data_class]}.")
        if subtype is not None and not covers(grant.permissions, data_class, access, subtype):
            sentence = describe(Permission.model_construct(data_class=data_class,
                                                           subtype=subtype, access=access))
            return f"{PREFIX}le patient n'a pas accordé à ce service la permission « {sentence} »."
        if item is not None and access == "read":
            return self._item_refusal(grant, item)
        return None

    def search_filter(self, data_class: str) -> ColumnElement[bool] | None:
        """The SQL filter that keeps a search to what the grant lets the service read (None =
        nothing to add). Call after `refusal(data_class, "read")` said yes."""
        if not self.applies or self.grant is None:
            return None
        grant = self.grant
        readable = [p for p in grant.permissions
                    if p.data_class == data_class and p.access == "read"]
        conditions = []
        if not any(p.subtype == ALL for p in readable):
            conditions.append(resources.c.subtype.in_(sorted({p.subtype for p in readable})))
        if not grant.include_earlier:
            conditions.append(resources.c.effective >= grant.valid_from)
        if grant.excluded:
            conditions.append(resources.c.id.not_in(grant.excluded))
        if grant.window_start is not None:
            conditions.append(resources.c.effective >= grant.window_start)
        if grant.window_end is not None:
            conditions.append(resources.c.effective < grant.window_end)
        return and_(*conditions) if conditions else None

    def _unusable(self, grant: Grant | None) -> str | None:
        if grant is None:
            return f"{PREFIX}le patient n'a accordé aucune autorisation à ce service."
        status = grant.status_at(self.now)
        if status == "revoked":
            return f"{PREFIX}le patient a retiré l'autorisation de ce service."
        if status == "expired":
            end = french_date(grant.valid_until) if grant.valid_until else "?"
            return f"{PREFIX}l'autorisation accordée à ce service a expiré le {end}."
        if status == "suspended":
            return (f"{PREFIX}ce service est suspendu par l'autorité de référencement ; "
                    "l'autorisation du patient ne s'applique plus.")
        return None

    @staticmethod
    def _item_refusal(grant: Grant, item: Item) -> str | None:
        if item.id in grant.excluded:
            return f"{PREFIX}le patient a exclu ce document de ce qu'il partage avec ce service."
        if not grant.include_earlier and (item.date is None or item.date < grant.valid_from):
            return (f"{PREFIX}cette donnée est antérieure à l'autorisation (du "
                    f"{french_date(grant.valid_from)}) et le patient n'a pas partagé ses "
                    "données antérieures.")
        outside = item.date is None or (
            (grant.window_start is not None and item.date < grant.window_start)
            or (grant.window_end is not None and item.date >= grant.window_end))
        if (grant.window_start or grant.window_end) and outside:
            return f"{PREFIX}cette donnée est hors de la période que le patient partage."
        return None


_TOKEN_AND_CONSENT = (
    select(
        tokens.c.id.label("token_id"), tokens.c.family_id.label("token_family_id"),
        tokens.c.client_id.label("token_client_id"), tokens.c.username.label("token_username"),
        tokens.c.patient_id.label("token_patient_id"), tokens.c.scope.label("token_scope"),
        tokens.c.access_expires_at.label("token_expires_at"),
        tokens.c.revoked_at.label("token_revoked_at"), oauth_clients.c.kind, grants,
    )
    .select_from(
        tokens.outerjoin(oauth_clients, oauth_clients.c.client_id == tokens.c.client_id)
        .outerjoin(grants, and_(grants.c.client_id == tokens.c.client_id,
                                grants.c.patient_id == tokens.c.patient_id)))
    .where(tokens.c.access_token_hash == bindparam("token_hash"))
)
"""A bearer token, its client's kind and the patient's grant to that client, in one indexed
query: every FHIR request runs it, and a query less is a tenth of a read's cost."""


def load_token_and_consent(conn: Connection, token: str, now: datetime,
                           notifier: Notifier | None = None
                           ) -> tuple[StoredAccessToken | None, ConsentState | None]:
    """The stored token (live or not; None if never issued) and, for a live one, the consent
    state its request is judged by ."""
    row = conn.execute(_TOKEN_AND_CONSENT, {"token_hash": hash_secret(token)}).first()
    if row is None:
        return None, None
    stored = StoredAccessToken(
        AccessToken(token_id=row.token_id, family_id=row.token_family_id,
                    client_id=row.token_client_id, username=row.token_username,
                    patient_id=row.token_patient_id, scope=row.token_scope,
                    expires_at=row.token_expires_at),
        revoked=row.token_revoked_at is not None,
    )
    if not stored.is_active(now):
        return stored, None
    grant = Grant.from_row(row) if row.id is not None else None
    if grant is not None and grant.is_due_to_expire(now):
        grant = settle_expiries(conn, [grant], now, notifier)[0]
    return stored, ConsentState(row.kind, grant, now)


_REFRESH_REFUSALS = {
    None: "Le patient n'a accordé aucune autorisation à ce service : aucun jeton ne peut être "
          "renouvelé.",
    "revoked": "Le patient a retiré son autorisation à ce service : le jeton ne peut plus être "
               "renouvelé ; reconnectez le service avec son accord.",
    "expired": "L'autorisation du patient a expiré : le jeton ne peut plus être renouvelé ; "
               "reconnectez le service avec son accord.",
    "suspended": "Ce service est suspendu par l'autorité de référencement : aucun jeton ne peut "
                 "être renouvelé.",
}


_CODE_REFUSALS = {
    None: "Le patient n'a accordé aucune autorisation à ce service : ce code ne donne aucun jeton.",
    "revoked": "Le patient a retiré son autorisation avant l'échange de ce code : aucun jeton "
               "n'est délivré.",
    "expired": "L'autorisation du patient a expiré avant l'échange de ce code : aucun jeton "
               "n'est délivré.",
    "suspended": "Ce service est suspendu par l'autorité de référencement : aucun jeton n'est "
                 "délivré.",
}


def _grant_status(conn: Connection, client_id: str, patient_id: str, now: datetime) -> str | None:
    grant = find_grant(conn, patient_id, client_id)
    if grant is not None:
        grant = GrantWriter(conn, now, ACTOR_PLATFORM).expire_if_due(grant)
    return grant.status if grant is not None else None


def refresh_refusal(conn: Connection, client_kind: str, client_id: str, patient_id: str,
                    now: datetime) -> str | None:
    """Why a refresh token of this client for this patient cannot be used now (its grant is not
    active), or None. An expiry noticed here is recorded in the caller's transaction."""
    if client_kind not in GRANTED_KINDS:
        return None
    status = _grant_status(conn, client_id, patient_id, now)
    return None if status == "active" else _REFRESH_REFUSALS[status]


def code_refusal(conn: Connection, client_kind: str, client_id: str, patient_id: str,
                 now: datetime) -> str | None:
    """Why an authorization code can no longer give tokens (the patient revoked, the grant
    expired or the service was suspended between consent and exchange), or None."""
    if client_kind not in GRANTED_KINDS:
        return None
    status = _grant_status(conn, client_id, patient_id, now)
    return None if status == "active" else _CODE_REFUSALS[status]
