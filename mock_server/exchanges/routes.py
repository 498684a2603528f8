"""The patient's exchange log and event feed (JSON; the patient's own app token only).

- `GET /exchanges`: a page of exchanges. Cursor `after=<id>` (exclusive, default 0) and/or
  `before=<id>` (exclusive), `limit` 1..500 (default 100), `order=asc|desc` (default asc);
  filters `service` (client ids), `data_class` (measures, documents, agenda, other), `direction`
  (read, write), `outcome` (allowed, denied, failed), repeatable or comma-separated. Answer
  `{"items", "next_after", "next_before", "latest"}`: `next_after` is the largest id returned
  (else `after`), `next_before` the smallest (else null), `latest` the patient's newest exchange
  id whatever the filters. Live tail: `after=<latest>`; older pages: `order=desc&before=<id>`.
- `GET /exchanges/export?format=csv|json` (default csv; same filters and cursors, no limit): a
  download (`Content-Disposition: attachment`), English keys, no payloads.
- `GET /exchanges/{id}`: one exchange with `payload` (the resources written, as stored).
- `GET /events?after=<id>&limit=1..500&kind=...`: `{"items", "next_after", "latest"}`, every kind.
- `GET /events/stream`: the same events live, as Server-Sent Events (see `stream.py`); starts after
  the `Last-Event-ID` header, else `after`, else the newest event at connection time; at most
  `MAX_STREAMS_PER_PATIENT` open per patient (429 beyond). The token goes in the
  `Authorization: Bearer` header only, never in the URL: a browser `EventSource` cannot send it,
  so use a client that sets headers (httpx-sse, fetch-based EventSource). A stream ends when its
  token is revoked or expires.

Each list first waits for the exchanges already answered to be recorded (`recorder.flush`), so a
client sees the exchange of a request that has returned. Every 4xx is a JSON problem in French.
"""

from __future__ import annotations

from typing import Annotated, Any, Final

from fastapi import APIRouter, Depends, Request
from sqlalchemy import Connection
from starlette.responses import Response, StreamingResponse

from mock_server.bearer import bearer_token
from mock_server.events import latest_event_id, read_after
from mock_server.events.store import KINDS
from mock_server.exchanges.classify import DATA_CLASSES, DIRECTIONS, OUTCOMES
from mock_server.exchanges.export import csv_body, json_body
from mock_server.exchanges.params import MAX_ID, Params, is_identifier, parse_integer
from mock_server.exchanges.shutdown import server_stopping
from mock_server.exchanges.state import exchange_log
from mock_server.exchanges.store import (
    ExchangeFilter,
    exchange_detail,
    exchange_item,
    get_exchange,
    iter_exchanges,
    latest_exchange_id,
    select_exchanges,
)
from mock_server.exchanges.stream import EventStream, event_messages
from mock_server.oauth.tokens import AccessToken, find_active_access_token
from mock_server.patient_api import patient_app_token
from mock_server.platform import get_platform
from mock_server.problems import Problem

router = APIRouter(tags=["échanges et événements"])
PatientToken = Annotated[AccessToken, Depends(patient_app_token)]

MAX_LIMIT: Final = 500
DEFAULT_LIMIT: Final = 100
_FILTERS: Final = ("service", "data_class", "direction", "outcome")
_CURSORS: Final = ("after", "before", "order")
_EVENT_KINDS: Final = tuple(sorted(KINDS))
_EXPORT_TYPES: Final = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


def _exchange_filter(params: Params) -> ExchangeFilter:
    return ExchangeFilter(
        services=params.texts("service"),
        data_classes=params.among("data_class", DATA_CLASSES),
        directions=params.among("direction", DIRECTIONS),
        outcomes=params.among("outcome", OUTCOMES),
        after=params.integer("after", 0, MAX_ID, 0),
        before=params.optional_integer("before", 1, MAX_ID),
        descending=params.choice("order", ("asc", "desc"), "asc") == "desc",
    )


def _flush(request: Request) -> None:
    exchange_log(request.app).recorder.flush()


@router.get("/exchanges", summary="Journal des échanges (curseur et filtres)")
def list_exchanges(request: Request, token: PatientToken) -> dict[str, Any]:
    params = Params(request.query_params.multi_items(), (*_CURSORS, "limit", *_FILTERS))
    wanted = _exchange_filter(params)
    limit = params.integer("limit", 1, MAX_LIMIT, DEFAULT_LIMIT)
    _flush(request)
    with get_platform(request).engine.connect() as conn:
        rows = select_exchanges(conn, token.patient_id, wanted, limit, with_payload=False)
        latest = latest_exchange_id(conn, token.patient_id)
    ids = [row.id for row in rows]
    return {
        "items": [exchange_item(row) for row in rows],
        "next_after": max(ids, default=wanted.after),
        "next_before": min(ids, default=None),
        "latest": latest,
    }


@router.get("/exchanges/export", summary="Exporter le journal des échanges (CSV ou JSON)",
            response_class=Response, responses={200: {
                "content": {"text/csv": {}, "application/json": {}},
                "description": "Un fichier à télécharger (Content-Disposition: attachment)."}})
def export_exchanges(request: Request, token: PatientToken) -> Response:
    params = Params(request.query_params.multi_items(), (*_CURSORS, "format", *_FILTERS))
    wanted = _exchange_filter(params)
    fmt = params.choice("format", tuple(_EXPORT_TYPES), "csv")
    _flush(request)
    platform = get_platform(request)
    rows = iter_exchanges(platform.engine, token.patient_id, wanted)
    filename = f"echanges-{platform.clock.now():%Y%m%d-%H%M%S}.{fmt}"
    return StreamingResponse(
        csv_body(rows) if fmt == "csv" else json_body(rows),
        media_type=_EXPORT_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/exchanges/{exchange_id}", summary="Un échange, avec les données écrites")
def read_exchange(request: Request, exchange_id: str, token: PatientToken) -> dict[str, Any]:
    Params(request.query_params.multi_items(), ())
    _flush(request)
    row = None
    if is_identifier(exchange_id):
        with get_platform(request).engine.connect() as conn:
            row = get_exchange(conn, token.patient_id, int(exchange_id))
    if row is None:
        raise Problem(404, "Échange inconnu",
                      f"Aucun échange n° {exchange_id[:40]} dans votre journal.")
    return exchange_detail(row)


@router.get("/events", summary="Événements après un curseur (repli sans flux)")
def list_events(request: Request, token: PatientToken) -> dict[str, Any]:
    params = Params(request.query_params.multi_items(), ("after", "limit", "kind"))
    after = params.integer("after", 0, MAX_ID, 0)
    limit = params.integer("limit", 1, MAX_LIMIT, DEFAULT_LIMIT)
    kinds = params.among("kind", _EVENT_KINDS)
    _flush(request)
    with get_platform(request).engine.connect() as conn:
        events = read_after(conn, token.patient_id, after, limit=limit, kinds=kinds)
        latest = latest_event_id(conn, token.patient_id)
    return {
        "items": [event.as_json() for event in events],
        "next_after": events[-1].id if events else after,
        "latest": latest,
    }


@router.get("/events/stream", summary="Flux d'événements en direct (Server-Sent Events)",
            response_class=Response, responses={200: {
                "content": {"text/event-stream": {}},
                "description": "Un message par événement : id, event (sa nature), data (JSON)."}})
async def stream_events(request: Request, token: PatientToken) -> Response:
    params = Params(request.query_params.multi_items(), ("after", "kind"))
    kinds = params.among("kind", _EVENT_KINDS)
    after = params.optional_integer("after", 0, MAX_ID)
    header = request.headers.get("last-event-id")
    if header is not None:
        after = parse_integer("Last-Event-ID", header.strip(), 0, MAX_ID)
    platform = get_platform(request)
    if after is None:
        with platform.engine.connect() as conn:
            after = latest_event_id(conn, token.patient_id)
    log = exchange_log(request.app)
    if not log.streams.acquire(token.patient_id):
        raise Problem(429, "Trop de flux ouverts",
                      f"Au plus {log.streams.per_patient} flux d'événements peuvent être ouverts "
                      "en même temps pour un patient : fermez-en un avant d'en ouvrir un autre.",
                      headers={"Retry-After": "5"})
    raw = bearer_token(request)

    def authorized(conn: Connection) -> bool:
        return find_active_access_token(conn, raw, platform.clock.now()) is not None

    messages = event_messages(platform, token.patient_id, after, kinds,
                              poll_seconds=log.poll_seconds, stopping=server_stopping(),
                              authorized=authorized)
    return EventStream(messages, keepalive_seconds=log.keepalive_seconds,
                       release=lambda: log.streams.release(token.patient_id))
