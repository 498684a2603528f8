"""A patient's FHIR read while 30 simulated services act at ×600, against the same read on an
idle server, in the same run.

    python benchmarks/agents_load.py [--seconds 20] [--speed 600] [--services 30] [--jump 2d]
                                     [--loaded-seconds S]

The real server runs under uvicorn on 127.0.0.1 (its own thread and event loop, like `serve`).
The patient's app reads its last 50 weights (`GET /fhir/Observation?code=<weight>&_count=50`)
over HTTP, one request at a time: first on the idle server for `--seconds`, then after
`--services` catalogue services were connected for that patient through the real consent flow
and the clock set to `--speed`, for one whole simulated day (144 s at ×600; `--loaded-seconds`
to change it), so that every daily action of every service happens during the series. The
agents run inside the server process, on the same event loop as the patient's request: the
ratio of the two latencies is what they cost the patient. A third series, for information,
reads while a clock jump runs the agents' actions back to back (the heaviest load the
simulation makes).
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import uvicorn
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import Measure

from mock_server.app import create_app
from mock_server.oauth.tokens import mint_tokens
from mock_server.settings import Settings
from mock_server.simulation.clock import Clock
from mock_server.simulation.patient_driver import Connection, connect_as_patient
from mock_server.storage.schema import accounts

TOKEN = "benchmark-facilitator"
PATIENT = "camille.martin"
READ = "/fhir/Observation?code=http://loinc.org|29463-7&_count=50"


def serve(folder: Path) -> tuple[uvicorn.Server, threading.Thread, object, str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = Settings(database_url=f"sqlite:///{folder / 'bench.db'}", host="127.0.0.1",
                        port=port, facilitator_token=TOKEN, fhir_rate_limit_per_second=0)
    app = create_app(settings, clock=Clock(datetime(2026, 11, 26, 9, 30, tzinfo=UTC)))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="error", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    return server, thread, app, settings.base_url


def patient_token(app) -> str:
    platform = app.state.platform
    with platform.engine.begin() as conn:
        patient_id = conn.execute(select(accounts.c.patient_id)
                                  .where(accounts.c.username == PATIENT)).scalar_one()
        return mint_tokens(conn, client_id="ens-consent-app", username=PATIENT,
                           patient_id=patient_id, scope="openid fhirUser patient/*.cruds",
                           now=platform.clock.now(), access_ttl=10**8,
                           refresh_idle_ttl=None).access_token


async def read_for(http: httpx.AsyncClient, name: str, token: str, seconds: float,
                   until: asyncio.Task | None = None) -> Measure:
    """Read for `seconds`, or while `until` runs."""
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/fhir+json"}
    for _ in range(20):  # warm-up
        (await http.get(READ, headers=headers)).raise_for_status()
    latencies = []
    start = time.perf_counter()
    while (not until.done()) if until else time.perf_counter() - start < seconds:
        t0 = time.perf_counter()
        response = await http.get(READ, headers=headers)
        latencies.append(time.perf_counter() - t0)
        response.raise_for_status()
    return Measure(name, latencies, time.perf_counter() - start)


async def agent_requests(http: httpx.AsyncClient) -> tuple[int, int, str]:
    seen = (await http.get("/admin/connections",
                           headers={"Authorization": f"Bearer {TOKEN}"})).json()
    return (sum(a["requests"] for a in seen["agents"]),
            sum(1 for a in seen["agents"] if a["status"] == "running"), seen["now"])


async def run(app, base_url: str, args: argparse.Namespace) -> None:
    token = patient_token(app)
    simulation = app.state.platform.simulation
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as http:
        idle = await read_for(http, "idle server", token, args.seconds)
        services = [s.id for s in simulation.catalog.services
                    if not simulation.is_suspended(s.id)][:args.services]
        for service_id in services:
            await connect_as_patient(simulation, Connection(PATIENT, service_id))
        await http.post("/admin/clock", json={"speed": args.speed},
                        headers={"Authorization": f"Bearer {TOKEN}"})
        before, running, sim_start = await agent_requests(http)
        loaded = await read_for(http, f"{running} services at x{args.speed:g}", token,
                                args.loaded_seconds or 86400 / args.speed)
        after, _, sim_end = await agent_requests(http)
        jump = asyncio.create_task(http.post("/admin/clock", json={"jump": args.jump},
                                             headers={"Authorization": f"Bearer {TOKEN}"}))
        jumping = await read_for(http, f"during a {args.jump} jump", token, 0, until=jump)
        report = (await jump).json()["jump"]
    print(f"{PATIENT}: GET {READ}; one request at a time")
    print(f"{idle.line()}   ({idle.wall:.0f} s)")
    print(f"{loaded.line()}   ({loaded.wall:.0f} s)")
    print(f"  agents meanwhile: {after - before} requests, simulated time {sim_start[:16]} -> "
          f"{sim_end[:16]}")
    print(jumping.line())
    print(f"  jump: {report['occurrences']} actions, {report['requests']} agent requests in "
          f"{jumping.wall:.1f} s")
    for measure in (loaded, jumping):
        print(f"ratio {measure.name} / idle: p50 "
              f"{measure.percentile(50) / idle.percentile(50):.2f}, p99 "
              f"{measure.percentile(99) / idle.percentile(99):.2f}  (target <= 2 at x600)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--speed", type=float, default=600.0)
    parser.add_argument("--services", type=int, default=30)
    parser.add_argument("--jump", default="2d", help="Stress series: reads during this jump.")
    parser.add_argument("--loaded-seconds", type=float, default=None,
                        help="Length of the loaded series (default: one simulated day).")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        server, thread, app, base_url = serve(Path(tmp))
        try:
            asyncio.run(run(app, base_url, args))
        finally:
            server.should_exit = True
            thread.join(timeout=20)
            app.state.platform.engine.dispose()


if __name__ == "__main__":
    main()
