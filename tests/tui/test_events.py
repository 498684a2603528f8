"""Toasts for what the server pushes, wherever the person is: new data written by a service, an
access denied, a service suspended by the authority; grouped when they come in bursts."""

from __future__ import annotations

from datetime import UTC, datetime

from ens_consent_tui.client.events import Event
from ens_consent_tui.i18n import Catalogue
from ens_consent_tui.messages import EventsReceived
from ens_consent_tui.screens.exchanges_feed import toasts_for
from tests.tui.conftest import seen, sign_in_demo, wait_for
from tests.tui.exchanges_support import GLUCOSE_READ, GLYCO, Services, suspend_service


def toasts(app) -> list[tuple[str, str]]:
    return [(n.title, n.message) for n in app._notifications]


def toast_titled(app, title: str) -> str | None:
    return next((message for t, message in toasts(app) if t == title), None)


async def test_new_data_denied_access_and_suspension_each_get_a_titled_toast(
        build_app, messages, live_server, settings) -> None:
    app = build_app()
    services = Services(live_server, settings)
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await sign_in_demo(pilot, 2)
        clinic = await services.outside("CHU des Belles Rives", "karim.benali")
        assert await clinic.write_document() == 201
        await wait_for(pilot, lambda: toast_titled(app, "Nouvelle donnée"), "new data")
        message = toast_titled(app, "Nouvelle donnée")
        assert message.startswith("Nouveau document ")
        assert message.endswith(" écrit par CHU des Belles Rives")

        glyco = await services.catalogue(GLYCO, "karim.benali", grant=[GLUCOSE_READ])
        assert await glyco.read_documents() == 403
        await wait_for(pilot, lambda: toast_titled(app, "Accès refusé"), "the denial")
        assert toast_titled(app, "Accès refusé").startswith(
            "Accès refusé à GlycoPilote : Consentement non donné : ")

        await suspend_service(live_server, GLYCO)
        await wait_for(pilot, lambda: toast_titled(app, "Service suspendu"), "the suspension")
        assert "GlycoPilote" in toast_titled(app, "Service suspendu")
        batches = seen(messages, EventsReceived)
        kinds = {event.kind for batch in batches for event in batch.events}
        assert {"new_data", "exchange", "grant", "suspension"} <= kinds


async def test_in_english_the_toasts_are_worded_by_the_app(build_app, messages, live_server,
                                                           settings) -> None:
    app = build_app(lang="en")
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await sign_in_demo(pilot, 2)
        clinic = await Services(live_server, settings).outside("CHU des Belles Rives",
                                                                "karim.benali")
        assert await clinic.write_document() == 201
        await wait_for(pilot, lambda: toast_titled(app, "New data"), "new data")
        assert toast_titled(app, "New data") == \
            "New data (documents) written by CHU des Belles Rives"


def denial(event_id: int, service: str, reason: str) -> Event:
    data = {"id": event_id, "kind": "exchange", "at": "2026-11-26T09:30:00+00:00",
            "service_name": service, "outcome": "denied", "reason": reason}
    return Event(event_id, "exchange", datetime(2026, 11, 26, 9, 30, tzinfo=UTC), data)


def test_a_burst_of_denials_is_one_toast_per_service_with_the_last_reason() -> None:
    burst = [denial(1, "GlycoPilote", "motif 1"), denial(2, "GlycoPilote", "motif 2"),
             denial(3, "Pesée Claire", "motif 3"), denial(4, "GlycoPilote", "motif 4")]
    found = toasts_for(Catalogue("fr"), burst)
    assert [(t.title, t.message, t.severity) for t in found] == [
        ("Accès refusé", "3 accès refusés à GlycoPilote ; dernier motif : motif 4", "warning"),
        ("Accès refusé", "Accès refusé à Pesée Claire : motif 3", "warning"),
    ]


async def test_the_feed_follows_the_signed_in_space_and_stops_at_sign_out(build_app) -> None:
    app = build_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in_demo(pilot, 1)
        assert app.live_feed.patient_id == app.session.space.patient_id
        await pilot.press("x")
        await wait_for(pilot, lambda: app.current_mode == "login", "the login screen")
        assert app.live_feed.patient_id is None and app.connection is None
        await sign_in_demo(pilot, 2)
        assert app.live_feed.patient_id == app.session.space.patient_id
