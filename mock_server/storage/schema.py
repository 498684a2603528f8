"""Every table of the platform (SQLAlchemy Core).

Times are `UtcDateTime` (aware, UTC). Secrets (passwords, tokens, codes) are stored hashed only.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

from mock_server.storage.types import UtcDateTime

metadata = MetaData()

# --- People -----------------------------------------------------------------------------------

patients = Table(
    "patients",
    metadata,
    Column("id", String(64), primary_key=True, comment="opaque FHIR Patient id"),
    Column("ins_nir", String(13), nullable=False, unique=True),
    Column("ins_key", String(2), nullable=False),
    Column("family", String(100), nullable=False),
    Column("given", String(100), nullable=False),
    Column("birth_date", String(10), nullable=False),
    Column("gender", String(10), nullable=False),
    Column("profile", String(40), nullable=False, comment="seed persona, e.g. 'pregnancy'"),
    Column("json", Text, nullable=False, comment="the FHIR R4 Patient resource"),
)

accounts = Table(
    "accounts",
    metadata,
    Column("username", String(100), primary_key=True),
    Column("password_hash", String(200), nullable=False),
    Column("patient_id", ForeignKey("patients.id"), nullable=False,
           comment="the account's own space"),
    Column("display_name", String(200), nullable=False),
)

representations = Table(
    "representations",
    metadata,
    Column("username", ForeignKey("accounts.username"), primary_key=True),
    Column("patient_id", ForeignKey("patients.id"), primary_key=True),
    Column("relationship", String(40), nullable=False, comment="e.g. 'parent'"),
)

# --- FHIR resources -----------------------------------------------------------------------------

resources = Table(
    "resources",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("resource_type", String(40), nullable=False),
    Column("patient_id", String(64), nullable=True, comment="compartment; null for Devices"),
    Column("version_id", Integer, nullable=False, default=1),
    Column("last_updated", UtcDateTime, nullable=False),
    Column("effective", UtcDateTime, nullable=True, comment="search date"),
    Column("code", String(200), nullable=True, comment="'system|code' of the code or doc type"),
    Column("category", String(200), nullable=True, comment="'system|code' of the category"),
    Column("subtype", String(40), nullable=True, comment="measure key or document group key"),
    Column("status", String(40), nullable=True),
    Column("identifier", String(300), nullable=True, comment="'system|value' of identifier[0]"),
    Column("author_client_id", String(100), nullable=True, comment="writer; null = seed"),
    Column("json", Text, nullable=False),
)
Index(
    "ix_resources_compartment",
    resources.c.patient_id,
    resources.c.resource_type,
    resources.c.effective,
)
Index(
    "ix_resources_code",
    resources.c.patient_id,
    resources.c.resource_type,
    resources.c.code,
    resources.c.effective,
)
Index("ix_resources_identifier", resources.c.resource_type, resources.c.identifier)

# --- OAuth 2 / OpenID Connect ------------------------------------------------------------------

oauth_clients = Table(
    "oauth_clients",
    metadata,
    Column("client_id", String(100), primary_key=True),
    Column("client_secret_hash", String(200), nullable=True, comment="null for public clients"),
    Column("name", String(200), nullable=False),
    Column("kind", String(20), nullable=False, comment="app | service | outside"),
    Column("redirect_uris", Text, nullable=False, comment="JSON list"),
    Column("scope", Text, nullable=False, comment="the widest scope this client may ask for"),
    Column("token_endpoint_auth_method", String(40), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

authorization_codes = Table(
    "authorization_codes",
    metadata,
    Column("code_hash", String(64), primary_key=True),
    Column("client_id", ForeignKey("oauth_clients.client_id"), nullable=False),
    Column("redirect_uri", Text, nullable=False),
    Column("scope", Text, nullable=False, comment="what the patient kept"),
    Column("username", String(100), nullable=False),
    Column("patient_id", String(64), nullable=False),
    Column("code_challenge", String(128), nullable=False),
    Column("code_challenge_method", String(10), nullable=False),
    Column("nonce", String(200), nullable=True),
    Column("auth_time", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("used_at", UtcDateTime, nullable=True),
    Column("family_id", String(64), nullable=False, comment="tokens minted from this code"),
    Column("extra", Text, nullable=True, comment="JSON: consent choices saved with the code"),
)

tokens = Table(
    "tokens",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("family_id", String(64), nullable=False, comment="all tokens descending from one code"),
    Column("client_id", String(100), nullable=False),
    Column("username", String(100), nullable=False),
    Column("patient_id", String(64), nullable=False),
    Column("scope", Text, nullable=False),
    Column("access_token_hash", String(64), nullable=False, unique=True),
    Column("refresh_token_hash", String(64), nullable=True, unique=True),
    Column("issued_at", UtcDateTime, nullable=False),
    Column("access_expires_at", UtcDateTime, nullable=False),
    Column("refresh_expires_at", UtcDateTime, nullable=True, comment="idle limit"),
    Column("rotated_at", UtcDateTime, nullable=True, comment="its refresh token was used once"),
    Column("revoked_at", UtcDateTime, nullable=True),
    Column("auth_time", UtcDateTime, nullable=True),
)
Index("ix_tokens_family", tokens.c.family_id)

signing_keys = Table(
    "signing_keys",
    metadata,
    Column("kid", String(64), primary_key=True),
    Column("private_pem", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

login_sessions = Table(
    "login_sessions",
    metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("username", String(100), nullable=True, comment="null until the password is checked"),
    Column("acting_patient_id", String(64), nullable=True, comment="whose space, once chosen"),
    Column("csrf_token", String(100), nullable=False),
    Column("authenticated_at", UtcDateTime, nullable=True, comment="when the password was checked"),
    Column("request_params", Text, nullable=False,
           comment="JSON list of [name, value]: the pending authorization request"),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
)

acting_choices = Table(
    "acting_choices",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(100), nullable=False),
    Column("patient_id", String(64), nullable=False),
    Column("client_id", String(100), nullable=False),
    Column("chosen_at", UtcDateTime, nullable=False),
)

settings_kv = Table(
    "settings_kv",
    metadata,
    Column("key", String(100), primary_key=True),
    Column("value", Text, nullable=False),
    Column("is_secret", Boolean, nullable=False, default=False),
)

# --- Events pushed to the patient's app ----------------------------------------------------------

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("patient_id", String(64), nullable=False),
    Column("kind", String(30), nullable=False, comment="exchange | grant | new_data | ..."),
    Column("at", UtcDateTime, nullable=False, comment="simulated time"),
    Column("payload", Text, nullable=False, comment="JSON"),
)
Index("ix_events_patient", events.c.patient_id, events.c.id)

# --- Exchange log (DESIGN §6) ---------------------------------------------------------------------
# One row per third-party FHIR request, allowed or refused; append-only (rows are never updated or
# deleted). The id is the patients' cursor (AUTOINCREMENT: never reused); both indexes serve the
# keyset queries `patient_id = ? [AND client_id = ?] AND id > ? ORDER BY id`.

exchanges = Table(
    "exchanges",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UtcDateTime, nullable=False, comment="simulated time of the request"),
    Column("patient_id", String(64), nullable=False),
    Column("client_id", String(100), nullable=False),
    Column("service", String(200), nullable=False, comment="service name at the time"),
    Column("data_class", String(20), nullable=False,
           comment="measures | documents | agenda | other"),
    Column("subtype", String(200), nullable=True,
           comment="measure key or document group key (comma-joined if several), all, or null"),
    Column("direction", String(5), nullable=False, comment="read | write"),
    Column("interaction", String(20), nullable=False,
           comment="read | search | create | update | transaction"),
    Column("resource_type", String(40), nullable=False),
    Column("outcome", String(10), nullable=False, comment="allowed | denied | failed"),
    Column("reason", Text, nullable=True, comment="OperationOutcome diagnostics when refused"),
    Column("status", Integer, nullable=False, comment="HTTP status"),
    Column("method", String(10), nullable=False),
    Column("path", String(500), nullable=False),
    Column("query", Text, nullable=False),
    Column("resources", Text, nullable=False, comment="JSON list of 'Type/id'"),
    Column("count", Integer, nullable=False, comment="resources returned or written"),
    Column("payload", Text, nullable=True, comment="JSON list of the resources written, as stored"),
    Column("payload_bytes", Integer, nullable=True,
           comment="size of the written resources; payload is null above the cap"),
    sqlite_autoincrement=True,
)
Index("ix_exchanges_patient", exchanges.c.patient_id, exchanges.c.id)
Index("ix_exchanges_service", exchanges.c.patient_id, exchanges.c.client_id, exchanges.c.id)

# --- Register of access authorisations (consent grants, DESIGN §5) -------------------------------
# One row per (patient, client): the grant as it is now, read on every service request by one
# indexed query, so its permissions and exclusions are JSON in the row. Every change also appends
# a version with a snapshot (history is never rewritten).

grants = Table(
    "grants",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("patient_id", String(64), nullable=False),
    Column("client_id", ForeignKey("oauth_clients.client_id"), nullable=False),
    Column("status", String(20), nullable=False, comment="active | revoked | expired | suspended"),
    Column("version", Integer, nullable=False),
    Column("maille", String(20), nullable=False, comment="granularity in force when granted"),
    Column("valid_from", UtcDateTime, nullable=False),
    Column("valid_until", UtcDateTime, nullable=True, comment="null = until revoked"),
    Column("duration", String(20), nullable=True,
           comment="1m | 6m | 1y | revocation; null when an end date was set explicitly"),
    Column("include_earlier", Boolean, nullable=False),
    Column("permissions", Text, nullable=False,
           comment="JSON list of [data_class, subtype, access]"),
    Column("excluded", Text, nullable=False, comment="JSON list of excluded resource ids"),
    Column("window_start", UtcDateTime, nullable=True, comment="maille ressource: date window"),
    Column("window_end", UtcDateTime, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)
Index("ix_grants_pair", grants.c.patient_id, grants.c.client_id, unique=True)
Index("ix_grants_client", grants.c.client_id, grants.c.status)

grant_versions = Table(
    "grant_versions",
    metadata,
    Column("grant_id", ForeignKey("grants.id"), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("at", UtcDateTime, nullable=False, comment="simulated time"),
    Column("actor", String(100), nullable=False, comment="username, or plateforme / autorite"),
    Column("change", String(30), nullable=False,
           comment="created | narrowed | duration_changed | revoked | reconnected | expired | "
                   "suspended | reinstated"),
    Column("snapshot", Text, nullable=False, comment="JSON: the grant after this change"),
)
