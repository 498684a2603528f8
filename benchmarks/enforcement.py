"""What consent enforcement and the exchange log add to a FHIR read, in the same run.

    python benchmarks/enforcement.py [--requests 3000]

In process through ASGI, one request at a time (the server's own cost), `GET Observation/{id}`:

- `patient app token`: bearer check and scope only (the patient's own app is not subject to
  grants, and its calls are not exchanges): the path without enforcement nor audit.
- `service token, audit off`: + the grant read and checked on every request.
- `service token, audit on`: + the exchange recorded (queued, written in batches by a thread).
- `bare Starlette, same JSON body`: the framework baseline; ratio = service token (audit on) / this.

The service's grant is written with the same code the consent step uses (`GrantWriter.consent`).
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
from starlette.responses import JSONResponse
from starlette.routing import Route

from mock_server.app import create_app
from mock_server.catalog import Permission
from mock_server.consent.changes import GrantWriter
from mock_server.exchanges import exchange_log
from mock_server.oauth.tokens import mint_tokens
from mock_server.settings import Settings
from mock_server.simulation.clock import Clock
from mock_server.storage.schema import accounts, resources

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import asgi_get, run_series

SERVICE = "pesee-claire"
WEIGHT_READ = "patient/Observation.rs?code=http://loinc.org|29463-7"


def build(folder: Path):
    settings = Settings(database_url=f"sqlite:///{folder / 'bench.db'}",
                        public_url="http://localhost", fhir_rate_limit_per_second=0)
    clock = Clock.frozen(datetime(2026, 11, 26, 9, 30, tzinfo=UTC))
    app = create_app(settings, clock=clock)
    engine = app.state.platform.engine
    now = clock.now()
    with engine.begin() as conn:
        patient_id = conn.execute(select(accounts.c.patient_id).where(
            accounts.c.username == "camille.martin")).scalar_one()
        weight_id = conn.execute(select(resources.c.id).where(
            resources.c.patient_id == patient_id, resources.c.subtype == "body_weight")
            .limit(1)).scalar_one()
        common = {"username": "camille.martin", "patient_id": patient_id, "now": now,
                  "access_ttl": 10**8, "refresh_idle_ttl": None}
        app_token = mint_tokens(conn, client_id="ens-consent-app",
                                scope="openid fhirUser patient/*.cruds", **common).access_token
        GrantWriter(conn, now, "camille.martin").consent(
            patient_id=patient_id, client_id=SERVICE,
            permissions=[Permission(data_class="measures", subtype="body_weight", access="read")],
            duration="1y", include_earlier=True, maille=settings.maille)
        service_token = mint_tokens(conn, client_id=SERVICE, scope=f"openid {WEIGHT_READ}",
                                    **common).access_token
    return app, engine, weight_id, app_token, service_token


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    n = parser.parse_args().requests
    with tempfile.TemporaryDirectory() as tmp:
        app, engine, weight_id, app_token, service_token = build(Path(tmp))
        path = f"/fhir/Observation/{weight_id}"

        def read(token: str):
            return lambda: asgi_get(app, path, "", {"authorization": f"Bearer {token}"})

        status, body = asyncio.run(read(service_token)())
        assert status == 200, body[:300]
        resource = json.loads(body)
        bare = Starlette(routes=[Route(path, lambda _r: JSONResponse(resource))])

        listeners = app.state.fhir.exchange_listeners
        saved = list(listeners)
        patient = run_series("patient app token", read(app_token), n)
        listeners.clear()
        quiet = run_series("service token, audit off", read(service_token), n)
        listeners.extend(saved)
        audited = run_series("service token, audit on", read(service_token), n)
        exchange_log(app).recorder.flush()
        baseline = run_series("bare Starlette, same JSON body", lambda: asgi_get(bare, path), n)

        print(f"GET Observation/{{id}}, {len(body):,} bytes; {n} requests each")
        for measure in (patient, quiet, audited, baseline):
            print(measure.line())
        for label, p in (("p50", 50), ("p99", 99)):
            grant = (quiet.percentile(p) - patient.percentile(p)) * 1e3
            audit = (audited.percentile(p) - quiet.percentile(p)) * 1e3
            print(f"added {label}: enforcement {grant:+.3f} ms, audit {audit:+.3f} ms, "
                  f"both {grant + audit:+.3f} ms")
        print(f"ratio service read / bare Starlette: "
              f"{audited.throughput / baseline.throughput:.2f}  (target >= 0.40)")
        engine.dispose()


if __name__ == "__main__":
    main()
