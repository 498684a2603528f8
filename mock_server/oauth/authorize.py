"""The steps of the authorization endpoint: login, whose space, consent, then the code.

authlib validates the authorization request (again at every step, from the copy kept in the
login session) and issues the code; this module runs the pages in between and decides what the
patient granted. The result of each step is a `Step` (a page to show), a `Redirect` (back to the
client, with a code or an error) or a `Failure` (an error page, never a redirect).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

from authlib.oauth2 import OAuth2Error
from sqlalchemy import select

from mock_server.catalog import load_catalog
from mock_server.consent.service_clients import is_suspended
from mock_server.consent.step import (
    ConsentGroup,
    ServiceSummary,
    consent_groups,
    consent_wording,
    record_consent,
    service_summary,
    split_group,
)
from mock_server.oauth.adapter import ReceivedRequest
from mock_server.oauth.errors import french_description
from mock_server.oauth.grants import AuthorizationCodeGrant
from mock_server.oauth.models import Approval, Client, Subject
from mock_server.oauth.passwords import hash_password, verify_password
from mock_server.oauth.server import EnsAuthorizationServer, OAuthContext
from mock_server.oauth.sessions import (
    COOKIE_NAME,
    LoginSession,
    close_session,
    cookie_hash,
    csrf_matches,
    end_request,
    load_session,
    open_session,
    record_acting,
    record_login,
)
from mock_server.oauth.wording import Permission
from mock_server.scopes import is_resource_scope
from mock_server.storage.schema import accounts, acting_choices, patients, representations

DURATIONS = {
    "1m": "1 mois",
    "6m": "6 mois",
    "1y": "1 an",
    "revocation": "Jusqu'à ce que je la retire",
}
DEFAULT_DURATION = "1y"
LOGIN_FAILED = "Identifiant ou mot de passe incorrect."


@dataclass(frozen=True)
class PatientChoice:
    patient_id: str
    name: str
    is_self: bool


@dataclass(frozen=True)
class Step:
    """A page of the authorization flow."""

    name: Literal["login", "choose_patient", "consent"]
    csrf: str
    client: Client
    status: int = 200
    error: str | None = None
    """Why the same page is shown again: a short code (`login_failed`...)..."""
    message: str | None = None
    """...and the sentence the page shows."""
    patients: tuple[PatientChoice, ...] = ()
    permissions: tuple[Permission, ...] = ()
    acting_for: PatientChoice | None = None
    session_cookie: str | None = None
    """Set when this step opened a new login session."""
    service: ServiceSummary | None = None
    """The store sheet's essentials, when the client is a catalogue service."""
    maille: str = "type"
    """The consent granularity (`categorie`, `type` or `ressource`, DESIGN §5)."""
    groups: tuple[ConsentGroup, ...] = ()
    """In `categorie` granularity: the scopes accepted or refused together."""


@dataclass(frozen=True)
class Redirect:
    """Back to the client: `code`, or `error`, plus `state` and `iss`."""

    location: str
    session_cookie: str | None = None
    """Set when this request opened a (logged-in) session and answered at once."""


@dataclass(frozen=True)
class Failure:
    """An error page; nothing goes back to the client."""

    status: int
    error: str
    message: str


Outcome = Step | Redirect | Failure


@dataclass(frozen=True)
class StepInput:
    """The fields a step posted, from a form (repeated names) or a JSON object."""

    values: dict[str, list[str]]
    flags: dict[str, bool]
    is_json: bool

    @classmethod
    def from_request(cls, received: ReceivedRequest) -> StepInput:
        values: dict[str, list[str]] = {}
        flags: dict[str, bool] = {}
        if not isinstance(received.json, dict):
            for name, value in received.form:
                values.setdefault(name, []).append(value)
            return cls(values, flags, is_json=False)
        for name, value in received.json.items():
            if isinstance(value, bool):
                flags[name] = value
            elif isinstance(value, list):
                values[name] = [str(v) for v in value]
            elif value is not None:
                values[name] = [str(value)]
        return cls(values, flags, is_json=True)

    def get(self, name: str) -> str | None:
        found = self.values.get(name)
        return found[0] if found else None

    def getlist(self, name: str) -> list[str]:
        return self.values.get(name, [])

    def checked(self, name: str, *, default: bool) -> bool:
        """A JSON boolean (`default` when absent), or an HTML checkbox (present means ticked)."""
        if self.is_json:
            return self.flags.get(name, default)
        return name in self.values


class AuthorizationFlow:
    """One request to /oauth/authorize, on one database connection."""

    def __init__(self, ctx: OAuthContext, received: ReceivedRequest) -> None:
        self.ctx = ctx
        self.received = received
        self.server = EnsAuthorizationServer(ctx)
        self.published = 0
        """Events this request published (grant created): readers are woken after commit."""

    # --- entry points -----------------------------------------------------------------------

    def start(self) -> Outcome:
        """A new authorization request: validate it, open a session, ask to log in."""
        grant = self._validate(self.received)
        if not isinstance(grant, AuthorizationCodeGrant):
            return grant
        previous = self.received.cookies.get(COOKIE_NAME)
        signed_in, prompt = None, set()
        if previous:
            earlier = load_session(self.ctx.conn, previous, self.ctx.session_now)
            prompt = {word for name, value in self.received.params if name == "prompt"
                      for word in value.split()}
            if earlier is not None and earlier.username and "login" not in prompt:
                signed_in = earlier
            close_session(self.ctx.conn, cookie_hash(previous))
        cookie, session = open_session(
            self.ctx.conn, self.received.params, self.ctx.session_now,
            self.ctx.settings.login_session_ttl, signed_in=signed_in,
            keep_acting="select_account" not in prompt,
        )
        if session.username is None:
            return Step("login", session.csrf, grant.client, session_cookie=cookie)
        outcome = self._next(session, grant)
        return outcome if isinstance(outcome, Failure) else replace(outcome, session_cookie=cookie)

    def advance(self) -> Outcome:
        """A step posted back: check the session and its CSRF token, then move on."""
        session = load_session(self.ctx.conn, self.received.cookies.get(COOKIE_NAME),
                               self.ctx.session_now)
        if session is None or not session.request_params:
            return Failure(403, "session_expired",
                           "Votre session a expiré ou n'existe pas : recommencez depuis "
                           "l'application qui vous a envoyé ici.")
        fields = StepInput.from_request(self.received)
        if not csrf_matches(session, fields.get("csrf")):
            return Failure(403, "csrf_failed",
                           "Ce formulaire ne vient pas de votre session (jeton CSRF absent ou "
                           "invalide) : rien n'a été enregistré.")
        grant = self._validate(self.received.replaying(session.request_params))
        if not isinstance(grant, AuthorizationCodeGrant):
            return grant
        if session.username is None:
            return self._login(session, fields, grant)
        if session.acting_patient_id is None:
            return self._choose(session, fields, grant)
        return self._decide(session, fields, grant)

    # --- steps ------------------------------------------------------------------------------

    def _login(self, session: LoginSession, fields: StepInput,
               grant: AuthorizationCodeGrant) -> Outcome:
        username = (fields.get("username") or "").strip()
        row = self.ctx.conn.execute(select(accounts).where(accounts.c.username == username)).first()
        # An unknown name costs a hash check too, so timing does not reveal which names exist.
        stored = row.password_hash if row is not None else _decoy_hash()
        if not verify_password(fields.get("password") or "", stored) or row is None:
            return Step("login", session.csrf, grant.client, status=400, error="login_failed",
                        message=LOGIN_FAILED)
        choices = self._patient_choices(username)
        acting = row.patient_id if len(choices) == 1 else None
        session = record_login(self.ctx.conn, session, username, self.ctx.now, acting)
        return self._next(session, grant)

    def _choose(self, session: LoginSession, fields: StepInput,
                grant: AuthorizationCodeGrant) -> Outcome:
        choices = self._patient_choices(session.username)
        wanted = fields.get("patient_id")
        if wanted not in {c.patient_id for c in choices}:
            return Step("choose_patient", session.csrf, grant.client, status=400,
                        error="invalid_patient", message="Choisissez une des personnes proposées.",
                        patients=choices)
        self.ctx.conn.execute(
            acting_choices.insert().values(username=session.username, patient_id=wanted,
                                           client_id=grant.client.client_id,
                                           chosen_at=self.ctx.now)
        )
        session = record_acting(self.ctx.conn, session, wanted)
        return self._next(session, grant)

    def _next(self, session: LoginSession, grant: AuthorizationCodeGrant) -> Outcome:
        """The page after a completed step, or the code when no page is left."""
        if session.acting_patient_id is None:
            return Step("choose_patient", session.csrf, grant.client,
                        patients=self._patient_choices(session.username))
        if grant.client.asks_consent:
            return self._consent_page(session, grant)
        return self._issue(session, grant, grant.request.scope, consent=None)

    def _consent_page(self, session: LoginSession, grant: AuthorizationCodeGrant, *,
                      message: str | None = None) -> Step:
        catalog, client_id = load_catalog(), grant.client.client_id
        items = _resource_items(grant.request.scope)
        maille = self.ctx.settings.maille
        return Step("consent", session.csrf, grant.client, status=400 if message else 200,
                    error="invalid_consent" if message else None, message=message,
                    permissions=consent_wording(catalog, client_id, items),
                    acting_for=self._acting_for(session),
                    service=service_summary(catalog, client_id), maille=maille,
                    groups=consent_groups(items) if maille == "categorie" else ())

    def _decide(self, session: LoginSession, fields: StepInput,
                grant: AuthorizationCodeGrant) -> Outcome:
        decision = fields.get("decision")
        if decision == "deny":
            return self._finish(session, grant, approval=None)
        if decision != "allow":
            return self._consent_page(session, grant,
                                      message="Choisissez « Autoriser » ou « Refuser ».")
        requested = grant.request.scope.split()
        ticked = fields.getlist("scope")
        if not set(ticked) <= set(_resource_items(grant.request.scope)):
            return Failure(400, "invalid_request",
                           "Le formulaire demande des autorisations qui ne font pas partie de la "
                           "demande du service : rien n'a été accordé.")
        if not ticked:
            return self._consent_page(session, grant,
                                      message="Cochez au moins une autorisation, ou refusez.")
        duration = fields.get("duration") or DEFAULT_DURATION
        if duration not in DURATIONS:
            return self._consent_page(session, grant,
                                      message="Choisissez une durée parmi celles proposées.")
        if self.ctx.settings.maille == "categorie":
            split = split_group(consent_groups(_resource_items(grant.request.scope)), ticked)
            if split is not None:
                return self._consent_page(
                    session, grant,
                    message=f"« {split.label} » s'accepte ou se refuse en entier : cochez "
                            "toutes ses cases ou aucune.")
        kept = [s for s in requested if not is_resource_scope(s) or s in ticked]
        consent = {"duration": duration,
                   "include_earlier": fields.checked("include_earlier", default=True)}
        self._record_grant(session, grant, kept, consent)
        return self._issue(session, grant, " ".join(kept), consent)

    def _record_grant(self, session: LoginSession, grant: AuthorizationCodeGrant,
                      kept: list[str], consent: dict) -> None:
        """The register learns what was allowed, in the transaction that issues the code."""
        writer = record_consent(
            self.ctx.conn, client_id=grant.client.client_id, client_kind=grant.client.kind,
            patient_id=session.acting_patient_id, actor=session.username,
            kept_scopes=[s for s in kept if is_resource_scope(s)], duration=consent["duration"],
            include_earlier=consent["include_earlier"], maille=self.ctx.settings.maille,
            now=self.ctx.now)
        if writer is not None:
            self.published += writer.published

    def _issue(self, session: LoginSession, grant: AuthorizationCodeGrant, scope: str,
               consent: dict | None) -> Outcome:
        subject = self._subject(session.username, session.acting_patient_id)
        approval = Approval(subject, scope, session.authenticated_at, consent)
        return self._finish(session, grant, approval)

    def _finish(self, session: LoginSession, grant: AuthorizationCodeGrant,
                approval: Approval | None) -> Outcome:
        """Send the code (or the refusal) back to the client and end the session."""
        response = self.server.create_authorization_response(grant.request, grant_user=approval,
                                                             grant=grant)
        end_request(self.ctx.conn, session)
        return Redirect(response.headers["location"])

    # --- helpers ----------------------------------------------------------------------------

    def _validate(self, received: ReceivedRequest) -> AuthorizationCodeGrant | Outcome:
        """authlib's validation of the authorization request: the grant, or the error."""
        try:
            request = self.server.create_oauth2_request(received)
            grant = self.server.get_consent_grant(request)
        except OAuth2Error as error:
            if error.redirect_uri:
                response = self.server.handle_error_response(None, error)
                return Redirect(response.headers["location"])
            return Failure(error.status_code or 400, error.error, french_description(error))
        catalog = load_catalog()
        if grant.client.kind == "service" and is_suspended(catalog, grant.client.client_id):
            note = catalog.get(grant.client.client_id).referencing.note
            return Failure(403, "service_suspended",
                           f"Le service « {grant.client.name} » est suspendu par l'autorité de "
                           "référencement : il ne peut pas être connecté à votre espace santé "
                           f"pour le moment. Motif : {note}")
        return grant

    def _subject(self, username: str, patient_id: str | None) -> Subject:
        row = self.ctx.conn.execute(select(accounts).where(accounts.c.username == username)).one()
        return Subject(username, row.display_name, row.patient_id, patient_id or row.patient_id)

    def _patient_choices(self, username: str) -> tuple[PatientChoice, ...]:
        """The person's own space first, then those of the patients they represent."""
        own = self._subject(username, None)
        rows = self.ctx.conn.execute(
            select(patients.c.id, patients.c.given, patients.c.family)
            .join(representations, representations.c.patient_id == patients.c.id)
            .where(representations.c.username == username)
            .order_by(patients.c.given)
        ).all()
        others = tuple(PatientChoice(r.id, f"{r.given} {r.family}", False) for r in rows)
        return (PatientChoice(own.own_patient_id, own.display_name, True), *others)

    def _acting_for(self, session: LoginSession) -> PatientChoice | None:
        """The represented patient, when the person acts for someone else."""
        subject = self._subject(session.username, session.acting_patient_id)
        if subject.patient_id == subject.own_patient_id:
            return None
        row = self.ctx.conn.execute(
            select(patients.c.given, patients.c.family).where(patients.c.id == subject.patient_id)
        ).one()
        return PatientChoice(subject.patient_id, f"{row.given} {row.family}", False)


def _resource_items(scope: str) -> list[str]:
    return [s for s in dict.fromkeys(scope.split()) if is_resource_scope(s)]


@lru_cache(maxsize=1)
def _decoy_hash() -> str:
    return hash_password("compte inexistant")
