"""The patient's cursor endpoints: `/exchanges` (filters, paging, detail, export) and `/events`."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import text

from mock_server.exchanges.store import ITEM_KEYS, ExchangeFilter, page_query
from tests.exchanges.conftest import (
    GLUCOSE_READ,
    WEIGHT,
    WEIGHT_READ,
    WEIGHT_WRITE,
    bearer,
    connect_service,
)
from tests.fhir.conftest import measure


@pytest.fixture
async def traffic(client, karim_token):
    """Two services, five exchanges for Karim, in this order: the reader searches weights
    (allowed), reads the Patient (denied: not granted), the writer writes a weight (allowed), the
    reader searches again (allowed), the writer writes a heart rate (denied: weight only)."""
    reader = await connect_service(client, [WEIGHT_READ])
    writer = await connect_service(client, [WEIGHT_WRITE, GLUCOSE_READ])
    patient = (await client.get("/fhir/Observation", params={"_count": 1},
                                headers=bearer(karim_token))).json()
    patient_ref = patient["entry"][0]["resource"]["subject"]["reference"]
    calls = [
        client.get("/fhir/Observation", params={"code": WEIGHT}, headers=reader.headers),
        client.get(f"/fhir/{patient_ref}", headers=reader.headers),
        client.post("/fhir/Observation", json=measure("body_weight", 87.5),
                    headers=writer.write_headers),
        client.get("/fhir/Observation", params={"code": WEIGHT, "_count": 1},
                   headers=reader.headers),
        client.post("/fhir/Observation", json=measure("heart_rate", 70),
                    headers=writer.write_headers),
    ]
    statuses = [(await call).status_code for call in calls]
    assert statuses == [200, 403, 201, 200, 403]
    return reader, writer


def _ids(answer: dict) -> list[int]:
    return [item["id"] for item in answer["items"]]


async def test_filters_select_by_service_class_direction_and_outcome(traffic, log):
    reader, writer = traffic
    every = await log()
    assert len(every["items"]) == 5
    by_id = {item["id"]: item for item in every["items"]}

    def matching(**wanted) -> list[int]:
        return [i for i, item in by_id.items()
                if all(item[key] in values for key, values in wanted.items())]

    assert _ids(await log(service=reader.client_id)) == matching(client_id={reader.client_id})
    assert _ids(await log(data_class="other")) == matching(data_class={"other"})
    assert _ids(await log(direction="write")) == matching(direction={"write"})
    assert _ids(await log(outcome="denied")) == matching(outcome={"denied"})
    assert len(matching(outcome={"denied"})) == 2
    both = await log(outcome=["denied", "allowed"],
                     service=f"{reader.client_id},{writer.client_id}")
    assert _ids(both) == _ids(every)
    assert _ids(await log(service=writer.client_id, outcome="denied", direction="write")) == (
        matching(client_id={writer.client_id}, outcome={"denied"}))
    assert _ids(await log(service="outside-inconnu")) == []
    assert (await log(data_class="agenda"))["latest"] == every["latest"]


async def test_the_cursor_pages_forwards_and_backwards_without_gaps(traffic, log):
    every = _ids(await log())
    forward, after = [], 0
    while True:
        page = await log(after=after, limit=2)
        if not page["items"]:
            break
        forward += _ids(page)
        after = page["next_after"]
    assert forward == every and after == every[-1]

    backward, before = [], None
    while True:
        page = await log(order="desc", limit=2, **({"before": before} if before else {}))
        if not page["items"]:
            break
        backward += _ids(page)
        before = page["next_before"]
    assert backward == every[::-1]

    newest = await log(order="desc", limit=1)
    assert _ids(newest) == [every[-1]] and newest["latest"] == every[-1]
    caught_up = await log(after=every[-1])
    assert caught_up == {"items": [], "next_after": every[-1], "next_before": None,
                         "latest": every[-1]}
    assert _ids(await log(after=every[0], before=every[3])) == every[1:3]


@pytest.mark.parametrize(("params", "words"), [
    ({"data_class": "labs"}, "measures, documents, agenda, other"),
    ({"direction": "read,delete"}, "read, write"),
    ({"outcome": ""}, "valeur vide"),
    ({"order": "newest"}, "asc, desc"),
    ({"limit": "0"}, "entre 1 et 500"),
    ({"limit": "501"}, "entre 1 et 500"),
    ({"limit": ["5", "6"]}, "qu'une fois"),
    ({"after": "-1"}, "supérieur ou égal à 0"),
    ({"after": "abc"}, "supérieur ou égal à 0"),
    ({"before": "0"}, "supérieur ou égal à 1"),
    ({"page": "2"}, "paramètres possibles : after, before, order, limit"),
])
async def test_bad_parameters_are_400_problems_naming_what_is_accepted(
    client, karim_token, params, words
):
    response = await client.get("/exchanges", params=params, headers=bearer(karim_token))
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert words in response.json()["detail"]


async def test_only_the_patients_own_app_reads_their_log(client, traffic, camille_token, log):
    reader, _ = traffic
    first = _ids(await log())[0]
    for path in ("/exchanges", f"/exchanges/{first}", "/exchanges/export", "/events"):
        anonymous = await client.get(path)
        assert anonymous.status_code == 401
        assert anonymous.headers["www-authenticate"].startswith("Bearer")
        assert (await client.get(path, headers=reader.headers)).status_code == 403
    camille = await client.get("/exchanges", headers=bearer(camille_token))
    assert camille.json()["items"] == [] and camille.json()["latest"] == 0
    other = await client.get(f"/exchanges/{first}", headers=bearer(camille_token))
    assert other.status_code == 404 and "Aucun échange" in other.json()["detail"]


async def test_one_exchange_shows_its_request_and_unknown_ids_are_404(
    client, traffic, karim_token, log
):
    items = (await log())["items"]
    read = await client.get(f"/exchanges/{items[1]['id']}", headers=bearer(karim_token))
    assert read.json() == {**items[1], "payload": None, "payload_bytes": None,
                           "payload_omitted": False}
    for unknown in ("0", "999999", "abc", "1²", "9" * 30):
        response = await client.get(f"/exchanges/{unknown}", headers=bearer(karim_token))
        assert response.status_code == 404, unknown
    with_param = await client.get(f"/exchanges/{items[0]['id']}", params={"x": "1"},
                                  headers=bearer(karim_token))
    assert with_param.status_code == 400


async def test_the_log_exports_as_csv_and_json_with_the_same_filters(
    client, traffic, karim_token, log
):
    every = (await log())["items"]
    csv_answer = await client.get("/exchanges/export", headers=bearer(karim_token))
    assert csv_answer.status_code == 200
    assert csv_answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert csv_answer.headers["content-disposition"] == (
        'attachment; filename="echanges-20261126-093000.csv"')
    rows = list(csv.reader(io.StringIO(csv_answer.text)))
    assert tuple(rows[0]) == ITEM_KEYS
    assert [int(row[0]) for row in rows[1:]] == [item["id"] for item in every]
    assert rows[1][ITEM_KEYS.index("resources")] == " ".join(every[0]["resources"])

    json_answer = await client.get("/exchanges/export",
                                   params={"format": "json", "outcome": "denied", "order": "desc"},
                                   headers=bearer(karim_token))
    assert json_answer.headers["content-disposition"].endswith('.json"')
    denied = [item for item in every if item["outcome"] == "denied"]
    assert json_answer.json() == denied[::-1]
    bad = await client.get("/exchanges/export", params={"format": "xlsx"},
                           headers=bearer(karim_token))
    assert bad.status_code == 400 and "csv, json" in bad.json()["detail"]


async def test_csv_cells_a_spreadsheet_would_run_as_formulas_are_neutralised(
    client, karim_token
):
    from tests.oauth.flows import authorize_outside_client, register_outside_client

    registration = await register_outside_client(client, name='=HYPERLINK("http://x","y")')
    tokens = await authorize_outside_client(client, registration, "karim.benali",
                                            grant=["patient/*.rs"])
    await client.get("/fhir/Observation", params={"_count": 1},
                     headers=bearer(tokens["access_token"]))
    exported = await client.get("/exchanges/export", headers=bearer(karim_token))
    row = list(csv.reader(io.StringIO(exported.text)))[1]
    assert row[ITEM_KEYS.index("service_name")] == '\'=HYPERLINK("http://x","y")'


async def test_events_are_read_after_a_cursor_with_every_kind(client, traffic, karim_token):
    async def events(**params) -> dict:
        response = await client.get("/events", params=params, headers=bearer(karim_token))
        assert response.status_code == 200, response.text
        return response.json()

    every = await events(limit=500)
    kinds = [item["kind"] for item in every["items"]]
    assert {"grant", "exchange", "new_data"} <= set(kinds)
    assert kinds.count("exchange") == 5 and kinds.count("new_data") == 1
    assert every["latest"] == every["next_after"] == every["items"][-1]["id"]
    page = await events(after=every["items"][1]["id"], limit=2)
    assert [i["id"] for i in page["items"]] == [i["id"] for i in every["items"][2:4]]
    assert page["next_after"] == every["items"][3]["id"]
    exchanges_only = await events(kind="exchange")
    assert [i["kind"] for i in exchanges_only["items"]] == ["exchange"] * 5
    first = exchanges_only["items"][0]
    assert set(first) == {"id", "kind", "at", "exchange_id", "client_id", "service_name",
                          "data_class", "subtype", "direction", "interaction", "outcome",
                          "reason", "count"}
    assert (await events(after=every["latest"]))["items"] == []
    bad = await client.get("/events", params={"kind": "exchanges"}, headers=bearer(karim_token))
    assert bad.status_code == 400 and "clock, exchange, grant" in bad.json()["detail"]


@pytest.mark.parametrize("wanted", [
    ExchangeFilter(),
    ExchangeFilter(after=10, descending=True, outcomes=frozenset({"denied"})),
    ExchangeFilter(services=frozenset({"outside-x"}), before=50),
])
def test_cursor_queries_walk_an_index_in_order(engine, wanted):
    statement = page_query("patient-1", wanted, 100, with_payload=False).compile(
        dialect=engine.dialect, compile_kwargs={"literal_binds": True})
    with engine.connect() as conn:
        plan = " | ".join(row[3] for row in conn.execute(text(f"EXPLAIN QUERY PLAN {statement}")))
    index = "ix_exchanges_service" if wanted.services else "ix_exchanges_patient"
    assert f"USING INDEX {index}" in plan, plan
    assert "TEMP B-TREE" not in plan, plan  # rows come in id order: no sort, no OFFSET


async def test_the_routes_are_documented_in_openapi(client):
    paths = (await client.get("/openapi.json")).json()["paths"]
    assert {"/exchanges", "/exchanges/export", "/exchanges/{exchange_id}", "/events",
            "/events/stream", "/fhir/AuditEvent", "/fhir/AuditEvent/{id}"} <= set(paths)
    assert "text/event-stream" in paths["/events/stream"]["get"]["responses"]["200"]["content"]
