"""The exchange log (DESIGN §6): every third-party FHIR request, allowed or refused, recorded
append-only, readable by the patient as JSON, CSV, FHIR `AuditEvent`, and live over SSE.

`install(app)` (after `fhir.install`) registers the recorder as the FHIR exchange listener and
mounts the patient's `/exchanges` and `/events` routes. Readers that need every exchange answered
so far recorded call `exchange_log(app).recorder.flush()` (the patient routes do it themselves).
"""

from __future__ import annotations

import asyncio

from fastapi import FastAPI

from mock_server.catalog import load_catalog
from mock_server.exchanges.recorder import ExchangeRecorder
from mock_server.exchanges.routes import router
from mock_server.exchanges.state import (
    MAX_STREAMS_PER_PATIENT,
    ExchangeLog,
    StreamSlots,
    exchange_log,
)
from mock_server.fhir.state import add_exchange_listener

__all__ = ["ExchangeLog", "ExchangeRecorder", "exchange_log", "install"]


def install(app: FastAPI) -> None:
    """Record the app's FHIR exchanges and serve the patient's log and event feed."""
    names = {service.id: service.name for service in load_catalog().services}
    recorder = ExchangeRecorder(app.state.platform, names)
    app.state.exchanges = ExchangeLog(
        recorder=recorder, streams=StreamSlots(MAX_STREAMS_PER_PATIENT)
    )
    add_exchange_listener(app, recorder.submit)
    app.include_router(router)

    async def flush_on_shutdown() -> None:
        # Exchanges answered just before the stop are still written.
        await asyncio.to_thread(recorder.flush)

    app.router.add_event_handler("shutdown", flush_on_shutdown)
