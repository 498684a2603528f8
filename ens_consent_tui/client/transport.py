"""One `httpx.AsyncClient` to the platform, and the mapping of its failures to `ClientError`s.

The cookie jar of this client is the app's "browser": the authorization pages' session cookie
lives in it between steps. The client is created for the first request, in a thread: importing
httpx and building its TLS context take 50–150 ms, during which the app keeps painting its
first screen (benchmarks/tui_startup.py).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from ens_consent_tui.client.errors import (
    ClientError,
    Forbidden,
    InvalidInput,
    NotFound,
    ServerError,
    ServerUnreachable,
    SessionExpired,
    UnexpectedResponse,
)

if TYPE_CHECKING:
    import httpx

FHIR_JSON = "application/fhir+json"
DEFAULT_TIMEOUT = 15.0
_INPUT_STATUSES = frozenset({400, 409, 412, 413, 415, 422})


class Transport:
    """Sends requests to one platform; network failures become `ServerUnreachable`."""

    def __init__(self, base_url: str, *, transport: httpx.AsyncBaseTransport | None = None,
                 timeout: float = DEFAULT_TIMEOUT) -> None:
        self.base_url = base_url.rstrip("/")
        self._transport = transport
        self._timeout = timeout
        self._http: httpx.AsyncClient | None = None

    @property
    def http(self) -> httpx.AsyncClient:
        """The connection pool and cookie jar (made here if no request made it yet)."""
        if self._http is None:
            self._http = self._new_client()
        return self._http

    def _new_client(self) -> httpx.AsyncClient:
        import httpx

        return httpx.AsyncClient(base_url=self.base_url, transport=self._transport,
                                 timeout=self._timeout, follow_redirects=False)

    @property
    def fhir_base(self) -> str:
        return f"{self.base_url}/fhir"

    async def send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """The response, whatever its status; `ServerUnreachable` when none came back."""
        if self._http is None:
            client = await asyncio.to_thread(self._new_client)
            if self._http is None:  # another request may have made one meanwhile
                self._http = client
            else:
                await client.aclose()
        http = self._http
        import httpx

        try:
            return await http.request(method, url, **kwargs)
        except httpx.TransportError as error:
            raise ServerUnreachable(self.base_url, str(error)) from error
        except httpx.HTTPError as error:
            raise UnexpectedResponse(str(error)) from error

    def forget_cookies(self) -> None:
        if self._http is not None:
            self._http.cookies.clear()

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()


def json_body(response: httpx.Response) -> Any:
    """The JSON body, or `UnexpectedResponse`."""
    try:
        return response.json()
    except ValueError as error:
        raise UnexpectedResponse(f"HTTP {response.status_code}: {response.text[:200]}") from error


def reason_of(response: httpx.Response) -> str:
    """The server's own explanation: OperationOutcome diagnostics, problem detail, OAuth error."""
    try:
        body = response.json()
    except ValueError:
        return response.text.strip()[:300]
    if not isinstance(body, dict):
        return ""
    if body.get("resourceType") == "OperationOutcome":
        issues = body.get("issue") or []
        texts = [i.get("diagnostics") or (i.get("details") or {}).get("text") or ""
                 for i in issues if isinstance(i, dict)]
        return " ".join(t for t in texts if t)
    for key in ("detail", "error_description", "title", "error"):
        if isinstance(body.get(key), str) and body[key]:
            return body[key]
    return ""


def error_for(response: httpx.Response) -> ClientError:
    """The exception that says what an error status means."""
    status, reason = response.status_code, reason_of(response)
    if status == 401:
        return SessionExpired(reason)
    if status == 403:
        return Forbidden(reason)
    if status == 404:
        return NotFound(reason)
    if status in _INPUT_STATUSES:
        return InvalidInput(reason)
    return ServerError(status, reason)


def checked(response: httpx.Response) -> httpx.Response:
    """The response itself when it succeeded, else the matching `ClientError`."""
    if response.is_success:
        return response
    raise error_for(response)
