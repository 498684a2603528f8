"""Content negotiation and request bodies: Accept/_format (406), Content-Type (415), size (413),
JSON syntax (400)."""

from __future__ import annotations

import json
from typing import Any, Literal

from starlette.requests import Request

from mock_server.fhir.errors import FhirError, bad_request

_FHIR_JSON_TYPES = frozenset({"application/fhir+json", "application/json", "application/json+fhir"})
_WILDCARDS = frozenset({"*/*", "application/*"})
_FORMATS = _FHIR_JSON_TYPES | {"json"}


def _media_type(value: str) -> tuple[str, dict[str, str]]:
    media, *raw_params = value.split(";")
    params = {}
    for raw in raw_params:
        name, _, param_value = raw.partition("=")
        params[name.strip().lower()] = param_value.strip().strip('"').lower()
    return media.strip().lower(), params


def _accepted_ranges(header: str) -> list[str]:
    """Media ranges of an Accept header, without those refused by `q=0`."""
    out = []
    for part in header.split(","):
        media, params = _media_type(part)
        try:
            quality = float(params.get("q", "1"))
        except ValueError:
            quality = 1.0
        if media and quality > 0:
            out.append(media)
    return out


def _not_acceptable(offered: str) -> FhirError:
    return FhirError(
        406,
        "not-supported",
        f"Format de réponse non disponible ({offered[:100]}) : ce serveur répond en "
        "application/fhir+json (Accept: application/fhir+json, application/json ou */*).",
    )


def _format_param(request: Request) -> str | None:
    values = request.query_params.getlist("_format")
    if not values:
        return None
    if len(values) > 1 or values[0].strip().lower() not in _FORMATS:
        raise _not_acceptable(f"_format={values[0]}")
    return values[0]


def require_fhir_json(request: Request) -> None:
    """406 unless the client accepts FHIR JSON (no Accept, JSON types, wildcards, _format=json)."""
    if _format_param(request) is not None:
        return
    header = request.headers.get("accept")
    if header is None or not header.strip():
        return
    ranges = _accepted_ranges(header)
    if not any(r in _FHIR_JSON_TYPES or r in _WILDCARDS for r in ranges):
        raise _not_acceptable(header)


def binary_representation(request: Request, content_type: str) -> Literal["fhir", "raw"]:
    """How to answer a Binary read: the FHIR resource, or raw bytes when Accept names its type."""
    if _format_param(request) is not None:
        return "fhir"
    header = request.headers.get("accept")
    if header is None or not header.strip():
        return "fhir"
    ranges = _accepted_ranges(header)
    if any(r in _FHIR_JSON_TYPES for r in ranges):
        return "fhir"
    own, _ = _media_type(content_type)
    if any(r == own or r == own.split("/")[0] + "/*" for r in ranges):
        return "raw"
    if any(r in _WILDCARDS for r in ranges):
        return "fhir"
    raise _not_acceptable(header)


def require_fhir_content_type(request: Request) -> None:
    """415 unless the body is declared as FHIR JSON (in UTF-8)."""
    header = request.headers.get("content-type")
    media, params = _media_type(header or "")
    charset = params.get("charset", "utf-8")
    if media not in _FHIR_JSON_TYPES or charset not in ("utf-8", "utf8"):
        raise FhirError(
            415,
            "not-supported",
            f"Type de contenu non pris en charge ({(header or 'absent')[:100]}) : envoyez "
            "Content-Type: application/fhir+json (ou application/json) en UTF-8.",
        )


def _too_large(limit: int) -> FhirError:
    return FhirError(
        413,
        "too-costly",
        f"Corps de requête trop volumineux : la limite est de {limit} octets (pièces jointes "
        "comprises).",
    )


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refusing (413) as soon as it exceeds `limit` bytes, whatever
    Content-Length says: the declared length is checked first, then the bytes are counted."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not (declared.isascii() and declared.isdigit()):
            raise bad_request("En-tête Content-Length invalide : un nombre d'octets est attendu.")
        if int(declared) > limit:
            raise _too_large(limit)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise _too_large(limit)
    return bytes(body)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} n'est pas une valeur JSON")


def parse_json(body: bytes) -> Any:
    """The JSON value of a body, or 400 `structure` naming the problem."""
    if not body.strip():
        raise bad_request(
            "Le corps de la requête est vide : une ressource FHIR en JSON est attendue.",
            "structure",
        )
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise bad_request(
            f"Le corps n'est pas du texte UTF-8 valide (octet {exc.start}).", "structure"
        ) from exc
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise bad_request(
            f"JSON mal formé à la ligne {exc.lineno}, colonne {exc.colno} : le corps n'a pas pu "
            "être lu.",
            "structure",
        ) from exc
    except (ValueError, RecursionError) as exc:
        raise bad_request(
            "JSON refusé : valeurs NaN/Infinity ou imbrication trop profonde.", "structure"
        ) from exc
