"""The referencing authority's decisions, written to the register: suspending a service
(de-referencing) and lifting the suspension.

Suspension is enforced by the register, not by revoking tokens: every grant to the service turns
`suspended`, and since effective access is the token scope ∩ the grant as it is now, the service's
very next request is refused (403, « service suspendu »), and so is any refresh. Its tokens are
kept, so that reinstating the service lets it go on where it stopped, as the patient's consent
was never withdrawn. Each patient concerned gets a `suspension` event with a French message.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, select

from mock_server.consent.changes import GrantWriter
from mock_server.consent.model import ACTOR_AUTHORITY
from mock_server.events import publish_many
from mock_server.storage.schema import grants


def _patients(conn, client_id: str, status: str) -> list[str]:
    return sorted(set(conn.execute(
        select(grants.c.patient_id).where(grants.c.client_id == client_id,
                                          grants.c.status == status)).scalars()))


def suspend(engine: Engine, client_id: str, name: str, now: datetime) -> list[str]:
    """Suspend every active grant to `client_id`; the patients told (one event each)."""
    with engine.begin() as conn:
        before = set(_patients(conn, client_id, "suspended"))
        GrantWriter(conn, now, ACTOR_AUTHORITY).suspend_service(client_id)
        told = [p for p in _patients(conn, client_id, "suspended") if p not in before]
        message = (f"L'autorité de référencement a suspendu le service « {name} » : il ne peut "
                   "plus accéder à vos données ni en envoyer. Votre autorisation est conservée "
                   "mais ne s'applique plus.")
        publish_many(conn, [(patient_id, "suspension", {
            "client_id": client_id, "service_name": name, "suspended": True,
            "message": message}, now) for patient_id in told])
    return told


def reinstate(engine: Engine, client_id: str, name: str, now: datetime) -> list[str]:
    """Lift the suspension of every grant to `client_id`; the patients told."""
    with engine.begin() as conn:
        told = _patients(conn, client_id, "suspended")
        GrantWriter(conn, now, ACTOR_AUTHORITY).reinstate_service(client_id)
        message = (f"Le service « {name} » est de nouveau référencé : votre autorisation "
                   "s'applique de nouveau (sauf si elle a expiré entre-temps).")
        publish_many(conn, [(patient_id, "suspension", {
            "client_id": client_id, "service_name": name, "suspended": False,
            "message": message}, now) for patient_id in told])
    return told
