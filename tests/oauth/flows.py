"""Drive the real OAuth flows in process, like a browser or a client script would.

Reusable by every test folder (FHIR, end to end, the patient app):

- `authorize_app(client, "camille.martin")` runs the first-party app's flow and returns the
  token response;
- `register_outside_client(client)` registers a client through RFC 7591 and
  `authorize_outside_client(client, registration, "karim.benali", grant=[...])` runs its full
  consent flow with the chosen scopes and returns the token response;
- the smaller steps (`start`, `login`, `choose_patient`, `consent`, `exchange_code`...) let a test
  stop anywhere and tamper with what it sends.

`client` is an `httpx.AsyncClient` on the app (it keeps the session cookie between steps).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

from mock_server.oauth.clients import APP_CLIENT_ID, APP_SCOPE, OUTSIDE_SCOPE

PASSWORD = "demo2026"
FACILITATOR_TOKEN = "facilitator-test-token"
"""The facilitator token of the `settings` fixture."""
OUTSIDE_REDIRECT_URI = "https://service.example.org/callback"
APP_CALLBACK = "http://127.0.0.1:53682/callback"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
"""The app's registered loopback redirect URI, on the port a native app would pick."""


@dataclass(frozen=True)
class Pkce:
    verifier: str
    challenge: str


def make_pkce() -> Pkce:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return Pkce(verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode())


def fhir_base(client: httpx.AsyncClient) -> str:
    return f"{str(client.base_url).rstrip('/')}/fhir"


def authorization_params(client: httpx.AsyncClient, *, client_id: str, redirect_uri: str,
                         scope: str, pkce: Pkce, state: str = "etat-123",
                         **extra: str) -> dict[str, str]:
    """A valid authorization request; `extra` adds or overrides parameters (None removes)."""
    params = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "scope": scope,
        "state": state,
        "aud": fhir_base(client),
        "code_challenge": pkce.challenge,
        "code_challenge_method": "S256",
    }
    params.update(extra)
    return {k: v for k, v in params.items() if v is not None}


# --- reading pages like a browser -----------------------------------------------------------


@dataclass
class Form:
    """The inputs of the first form of an HTML page."""

    hidden: dict[str, str] = field(default_factory=dict)
    checkboxes: dict[str, list[str]] = field(default_factory=dict)
    radios: dict[str, list[str]] = field(default_factory=dict)
    selects: dict[str, list[str]] = field(default_factory=dict)

    @property
    def csrf(self) -> str:
        return self.hidden["csrf"]


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.form = Form()
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "input":
            kind = a.get("type", "text")
            if kind == "hidden":
                self.form.hidden[a["name"]] = a.get("value", "")
            elif kind == "checkbox":
                self.form.checkboxes.setdefault(a["name"], []).append(a.get("value", "on"))
            elif kind == "radio":
                self.form.radios.setdefault(a["name"], []).append(a.get("value", ""))
        elif tag == "select":
            self._select = a["name"]
            self.form.selects[self._select] = []
        elif tag == "option" and self._select:
            self.form.selects[self._select].append(a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def read_form(html: str) -> Form:
    parser = _FormParser()
    parser.feed(html)
    return parser.form


def redirect_params(location: str) -> dict[str, str]:
    """The query of a redirect back to the client, one value per name."""
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


# --- steps ---------------------------------------------------------------------------------


async def start(client: httpx.AsyncClient, params: dict[str, str]) -> httpx.Response:
    return await client.get("/oauth/authorize", params=params)


async def post_step(client: httpx.AsyncClient, data: dict | list[tuple[str, str]],
                    **kwargs) -> httpx.Response:
    """POST a form to the authorization endpoint (a list keeps repeated names)."""
    return await client.post("/oauth/authorize", content=urlencode(data), headers=FORM, **kwargs)


async def login(client: httpx.AsyncClient, page: httpx.Response, username: str,
                password: str = PASSWORD) -> httpx.Response:
    csrf = read_form(page.text).csrf
    return await post_step(client, {"csrf": csrf, "username": username, "password": password})


async def choose_patient(client: httpx.AsyncClient, page: httpx.Response,
                         patient_id: str) -> httpx.Response:
    return await post_step(client, {"csrf": read_form(page.text).csrf, "patient_id": patient_id})


async def consent(client: httpx.AsyncClient, page: httpx.Response, grant: list[str] | None = None,
                  *, duration: str = "6m", include_earlier: bool = True,
                  decision: str = "allow") -> httpx.Response:
    """Tick `grant` (default: every offered scope) and press the `decision` button."""
    form = read_form(page.text)
    ticked = form.checkboxes.get("scope", []) if grant is None else grant
    data = [("csrf", form.csrf), *(("scope", s) for s in ticked), ("duration", duration),
            ("decision", decision)]
    if include_earlier:
        data.append(("include_earlier", "oui"))
    return await post_step(client, data)


async def exchange_code(client: httpx.AsyncClient, code: str, *, pkce: Pkce, client_id: str,
                        redirect_uri: str, client_secret: str | None = None,
                        secret_in_body: bool = False, **extra: str | None) -> httpx.Response:
    """POST the code to the token endpoint; a secret goes in HTTP Basic unless `secret_in_body`.

    `extra` adds or overrides form fields (None removes one, e.g. `code_verifier=None`).
    """
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
            "code_verifier": pkce.verifier, "client_id": client_id}
    if client_secret and secret_in_body:
        data["client_secret"] = client_secret
    data = {k: v for k, v in (data | extra).items() if v is not None}
    auth = (client_id, client_secret) if client_secret and not secret_in_body else None
    return await client.post("/oauth/token", data=data, auth=auth)


async def refresh(client: httpx.AsyncClient, refresh_token: str, *, client_id: str,
                  client_secret: str | None = None, **extra: str) -> httpx.Response:
    data = {"grant_type": "refresh_token", "refresh_token": refresh_token,
            "client_id": client_id, **extra}
    auth = (client_id, client_secret) if client_secret else None
    return await client.post("/oauth/token", data=data, auth=auth)


# --- whole flows ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeResult:
    """What came back to the client's redirect URI, and what is needed to exchange it."""

    params: dict[str, str]
    pkce: Pkce
    redirect_uri: str

    @property
    def code(self) -> str:
        return self.params["code"]


async def app_code(client: httpx.AsyncClient, username: str, password: str = PASSWORD, *,
                   patient_id: str | None = None, scope: str = APP_SCOPE,
                   redirect_uri: str = APP_CALLBACK, **extra: str) -> CodeResult:
    """The first-party app's flow up to the code (no consent page; a patient choice if any)."""
    pkce = make_pkce()
    params = authorization_params(client, client_id=APP_CLIENT_ID, redirect_uri=redirect_uri,
                                  scope=scope, pkce=pkce, **extra)
    page = await login(client, await start(client, params), username, password)
    if page.status_code == 200 and "patient_id" in read_form(page.text).radios:
        form = read_form(page.text)
        page = await choose_patient(client, page, patient_id or form.radios["patient_id"][0])
    assert page.status_code == 302, page.text
    return CodeResult(redirect_params(page.headers["location"]), pkce, redirect_uri)


async def authorize_app(client: httpx.AsyncClient, username: str, password: str = PASSWORD, *,
                        patient_id: str | None = None, scope: str = APP_SCOPE,
                        **extra: str) -> dict:
    """The first-party app's whole flow; returns the token response (JSON)."""
    result = await app_code(client, username, password, patient_id=patient_id, scope=scope,
                            **extra)
    response = await exchange_code(client, result.code, pkce=result.pkce,
                                   client_id=APP_CLIENT_ID, redirect_uri=result.redirect_uri)
    assert response.status_code == 200, response.text
    return response.json()


async def register_outside_client(client: httpx.AsyncClient, *, public: bool = False,
                                  redirect_uri: str = OUTSIDE_REDIRECT_URI,
                                  name: str = "Suivi Poids Test", scope: str | None = None,
                                  auth_method: str | None = None) -> dict:
    """Register a client through RFC 7591 with the facilitator token; returns its information."""
    metadata: dict = {"client_name": name, "redirect_uris": [redirect_uri]}
    method = auth_method or ("none" if public else "client_secret_basic")
    metadata["token_endpoint_auth_method"] = method
    if scope:
        metadata["scope"] = scope
    response = await client.post("/oauth/register", json=metadata,
                                 headers={"Authorization": f"Bearer {FACILITATOR_TOKEN}"})
    assert response.status_code == 201, response.text
    return response.json()


async def outside_code(client: httpx.AsyncClient, registration: dict, username: str, *,
                       grant: list[str] | None = None, scope: str = OUTSIDE_SCOPE,
                       patient_id: str | None = None, duration: str = "6m",
                       include_earlier: bool = True, **extra: str) -> CodeResult:
    """An outside client's flow up to the code: login, patient choice if any, consent."""
    pkce = make_pkce()
    redirect_uri = registration["redirect_uris"][0]
    params = authorization_params(client, client_id=registration["client_id"],
                                  redirect_uri=redirect_uri, scope=scope, pkce=pkce, **extra)
    page = await login(client, await start(client, params), username)
    if "patient_id" in read_form(page.text).radios:
        form = read_form(page.text)
        page = await choose_patient(client, page, patient_id or form.radios["patient_id"][0])
    page = await consent(client, page, grant, duration=duration, include_earlier=include_earlier)
    assert page.status_code == 302, page.text
    return CodeResult(redirect_params(page.headers["location"]), pkce, redirect_uri)


async def authorize_outside_client(client: httpx.AsyncClient, registration: dict, username: str,
                                   *, grant: list[str] | None = None,
                                   scope: str = OUTSIDE_SCOPE, **kwargs) -> dict:
    """An outside client's whole flow, granting `grant` (default: all); the token response."""
    result = await outside_code(client, registration, username, grant=grant, scope=scope,
                                **kwargs)
    response = await exchange_code(client, result.code, pkce=result.pkce,
                                   client_id=registration["client_id"],
                                   client_secret=registration.get("client_secret"),
                                   redirect_uri=result.redirect_uri)
    assert response.status_code == 200, response.text
    return response.json()
