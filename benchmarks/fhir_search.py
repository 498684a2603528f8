"""FHIR Observation search throughput against a bare Starlette endpoint, in the same run.

    python benchmarks/fhir_search.py [--requests 3000]

Both apps are called in process through ASGI (no network, no client library), one request at a
time, so the figure is the server's own cost per request. Series:

- `ens /fhir/Observation?_count=50`: the real platform (bearer check against storage, scope check,
  indexed query, Bundle of 50 stored resources), patient token, rate limit off.
- `bare Starlette, same JSON body`: a Starlette route returning the same Bundle (a Python dict
  serialised on each request): the framework baseline the issue names. Ratio = ens / this.
- `bare Starlette, same SQL`: for information, a route that runs an equivalent SQL query and
  splices the stored JSON, with no auth: what our checks and Bundle logic cost beyond the database.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from starlette.applications import Starlette
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import asgi_get, run_series

from mock_server.app import create_app
from mock_server.oauth.tokens import mint_tokens
from mock_server.settings import Settings
from mock_server.simulation.clock import Clock
from mock_server.storage.schema import accounts, resources

QUERY = "_count=50"
CODED_QUERY = "code=http://loinc.org|29463-7&_count=50"


def build_platform(folder: Path):
    settings = Settings(
        database_url=f"sqlite:///{folder / 'bench.db'}",
        public_url="http://localhost",
        fhir_rate_limit_per_second=0,
    )
    clock = Clock.frozen(datetime(2026, 11, 26, 9, 30, tzinfo=UTC))
    app = create_app(settings, clock=clock)
    engine = app.state.platform.engine
    with engine.begin() as conn:
        patient_id = conn.execute(
            select(accounts.c.patient_id).where(accounts.c.username == "camille.martin")
        ).scalar_one()
        token = mint_tokens(
            conn, client_id="ens-consent-app", username="camille.martin", patient_id=patient_id,
            scope="openid fhirUser patient/*.cruds", now=clock.now(), access_ttl=10**8,
            refresh_idle_ttl=None,
        ).access_token
    return app, engine, patient_id, token


def bare_apps(engine, patient_id: str, bundle: dict) -> tuple[Starlette, Starlette]:
    async def same_body(_request):
        return JSONResponse(bundle)

    def same_sql(_request):
        with engine.connect() as conn:
            rows = conn.execute(
                select(resources.c.id, resources.c.json)
                .where(resources.c.patient_id == patient_id,
                       resources.c.resource_type == "Observation")
                .order_by(resources.c.effective.desc())
                .limit(50)
            ).all()
        entries = ",".join(
            f'{{"fullUrl":"http://localhost/fhir/Observation/{r.id}","resource":{r.json}}}'
            for r in rows
        )
        body = f'{{"resourceType":"Bundle","type":"searchset","entry":[{entries}]}}'
        return Response(body, media_type="application/fhir+json")

    return (
        Starlette(routes=[Route("/fhir/Observation", same_body)]),
        Starlette(routes=[Route("/fhir/Observation", same_sql)]),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app, engine, patient_id, token = build_platform(Path(tmp))
        headers = {"authorization": f"Bearer {token}", "accept": "application/fhir+json"}
        status, body = asyncio.run(asgi_get(app, "/fhir/Observation", QUERY, headers))
        assert status == 200, body[:300]
        bundle = json.loads(body)
        assert len(bundle["entry"]) == 50
        body_app, sql_app = bare_apps(engine, patient_id, bundle)
        n = args.requests
        ours = run_series("ens /fhir/Observation?_count=50",
                          lambda: asgi_get(app, "/fhir/Observation", QUERY, headers), n)
        bare = run_series("bare Starlette, same JSON body",
                          lambda: asgi_get(body_app, "/fhir/Observation"), n)
        sql = run_series("bare Starlette, same SQL",
                         lambda: asgi_get(sql_app, "/fhir/Observation"), n)
        coded = run_series("ens ...?code=<weight>&_count=50",
                           lambda: asgi_get(app, "/fhir/Observation", CODED_QUERY, headers), n)
        entries = len(bundle["entry"])
        print(f"Bundle of {entries} Observations, {len(body):,} bytes; {n} requests each")
        for measure in (ours, bare, sql, coded):
            print(measure.line())
        print(f"ratio ens / bare Starlette (same body): {ours.throughput / bare.throughput:.2f}"
              "  (target >= 0.40)")
        print(f"ratio ens / bare Starlette (same SQL):  {ours.throughput / sql.throughput:.2f}")
        print(f"ratio ens code-filtered / bare (same body): "
              f"{coded.throughput / bare.throughput:.2f}")
        engine.dispose()


if __name__ == "__main__":
    main()
