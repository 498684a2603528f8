"""Starlette glue for authlib's authorization server (authlib ships Flask and Django ones only).

The body is read once, asynchronously (`receive`); everything after that is synchronous, so
authlib runs unchanged on the frozen `ReceivedRequest`.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from authlib.common.urls import add_params_to_uri
from authlib.oauth2 import AuthorizationServer, OAuth2Error
from authlib.oauth2.rfc6749 import JsonPayload, JsonRequest, OAuth2Payload, OAuth2Request
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from mock_server.oauth.errors import frenchify
from mock_server.problems import Problem

MAX_BODY_BYTES = 64 * 1024
"""No OAuth request needs more; a bigger body is refused before parsing."""


@dataclass(frozen=True)
class ReceivedRequest:
    """An HTTP request with its body already read and parsed."""

    method: str
    url: str
    headers: Headers
    query: list[tuple[str, str]]
    form: list[tuple[str, str]] = field(default_factory=list)
    json: Any = None
    cookies: dict[str, str] = field(default_factory=dict)

    @property
    def is_json(self) -> bool:
        return self.json is not None

    def replaying(self, params: list[tuple[str, str]]) -> ReceivedRequest:
        """A GET carrying `params`: a stored authorization request, validated again."""
        return ReceivedRequest("GET", self.url, self.headers, list(params), [], None, self.cookies)

    @property
    def params(self) -> list[tuple[str, str]]:
        """The OAuth parameters: the query of a GET, the form body of a POST."""
        return self.query if self.method == "GET" else self.form


async def receive(request: Request) -> ReceivedRequest:
    """Read and parse the body once (form or JSON); raise a `Problem` when it cannot be read."""
    body = await _read_body(request)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    form: list[tuple[str, str]] = []
    payload: Any = None
    if body and content_type == "application/x-www-form-urlencoded":
        form = parse_qsl(_decode(body), keep_blank_values=True)
    elif body and content_type == "application/json":
        try:
            payload = json.loads(_decode(body))
        except ValueError as exc:
            raise Problem(400, "JSON invalide",
                          "Le corps de la requête n'est pas du JSON valide.") from exc
    return ReceivedRequest(
        method=request.method,
        url=str(request.url),
        headers=request.headers,
        query=request.query_params.multi_items(),
        form=form,
        json=payload,
        cookies=dict(request.cookies),
    )


async def _read_body(request: Request) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise _too_large()
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise _too_large()
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large() -> Problem:
    return Problem(413, "Requête trop volumineuse",
                   f"Le corps d'une requête OAuth ne peut dépasser {MAX_BODY_BYTES // 1024} Kio.")


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Problem(400, "Encodage invalide",
                      "Le corps de la requête doit être en UTF-8.") from exc


class PairsPayload(OAuth2Payload):
    """OAuth parameters from a list of (name, value) pairs; repeated names stay visible."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self._datalist: defaultdict[str, list] = defaultdict(list)
        for name, value in pairs:
            self._datalist[name].append(value)
        self._data = {name: values[0] for name, values in self._datalist.items()}

    @property
    def data(self) -> dict[str, str]:
        return self._data

    @property
    def datalist(self) -> defaultdict[str, list]:
        return self._datalist


class StarletteOAuth2Request(OAuth2Request):
    """authlib's request over a `ReceivedRequest`."""

    def __init__(self, received: ReceivedRequest) -> None:
        super().__init__(received.method, received.url, headers=received.headers)
        self.received = received
        self.payload = PairsPayload(received.params)
        self._args = dict(received.query)
        self._form = dict(received.form)

    @property
    def args(self) -> dict[str, str]:
        return self._args

    @property
    def form(self) -> dict[str, str]:
        return self._form


class StarletteJsonPayload(JsonPayload):
    def __init__(self, data: Any) -> None:
        self._data = data

    @property
    def data(self) -> Any:
        return self._data


class StarletteJsonRequest(JsonRequest):
    """authlib's JSON request (client registration) over a `ReceivedRequest`."""

    def __init__(self, received: ReceivedRequest) -> None:
        super().__init__(received.method, received.url, received.headers)
        self.payload = StarletteJsonPayload(received.json)


class StarletteAuthorizationServer(AuthorizationServer):
    """authlib's `AuthorizationServer` answering with Starlette responses.

    Every error body says what went wrong in French (ASCII on the wire, see `errors`), and every
    redirect to a client carries `iss` (RFC 9207): success and error alike.
    """

    def __init__(self, issuer: str) -> None:
        super().__init__()
        self.issuer = issuer

    def create_oauth2_request(self, request: ReceivedRequest | OAuth2Request) -> OAuth2Request:
        if isinstance(request, OAuth2Request):
            return request
        return StarletteOAuth2Request(request)

    def create_json_request(self, request: ReceivedRequest | JsonRequest) -> JsonRequest:
        if isinstance(request, JsonRequest):
            return request
        return StarletteJsonRequest(request)

    def handle_response(self, status: int, body: Any, headers: list[tuple[str, str]]) -> Response:
        header_map = dict(headers)
        location = header_map.pop("Location", None)
        if location is not None:
            return RedirectResponse(add_issuer(location, self.issuer), status_code=status,
                                    headers=header_map)
        if isinstance(body, dict | list):
            header_map.pop("Content-Type", None)
            return JSONResponse(body, status_code=status, headers=header_map)
        return Response(body, status_code=status, headers=header_map)

    def handle_error_response(self, request: OAuth2Request, error: OAuth2Error) -> Response:
        return super().handle_error_response(request, frenchify(error))

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        """authlib announces client authentication and revocation; nothing listens yet."""


def add_issuer(location: str, issuer: str) -> str:
    """`location` with `iss=<issuer>` added to its query (RFC 9207)."""
    return add_params_to_uri(location, [("iss", issuer)])
