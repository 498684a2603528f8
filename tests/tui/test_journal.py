"""The journey journal: every action of a session, in order, one JSON line each, written as it
happens; a journal that cannot be written stops with one warning and the app goes on."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.widgets import DataTable, Switch

from ens_consent_tui.app import make_app
from ens_consent_tui.client import MemoryTokenStore
from ens_consent_tui.journal import BASE_FIELDS, Journal
from ens_consent_tui.messages import (
    GrantChanged,
    ServiceConnected,
    ServicesFound,
    ServiceSheetLoaded,
)
from ens_consent_tui.screens.services_dialogs import RevokeDialog
from ens_consent_tui.widgets.permission_switch import PermissionSwitch
from tests.tui.conftest import seen, settle, sign_in_demo, wait_for
from tests.tui.services_support import HEIGHT_READ, consent_dialog, toasts
from tests.tui.test_services import open_services, select

SESSION_FILE = re.compile(r"^\d{8}-\d{6}-[0-9a-f]{8}\.jsonl$")


def lines_of(journal: Journal) -> list[dict]:
    return [json.loads(line) for line in journal.path.read_text(encoding="utf-8").splitlines()]


def events_of(journal: Journal) -> list[str]:
    return [line["event"] for line in lines_of(journal)]


def first(lines: list[dict], event: str, **details: object) -> dict:
    return next(line for line in lines if line["event"] == event
                and all(line.get(k) == v for k, v in details.items()))


def in_order(events: list[str], expected: list[str]) -> bool:
    """`expected` appears in `events` in that order (other events may come between)."""
    remaining = iter(events)
    return all(event in remaining for event in expected)


async def test_a_session_is_journaled_in_order_with_the_details_of_each_action(
        live_server, messages, tmp_path) -> None:
    journal = Journal(tmp_path / "journal")
    app = make_app(live_server, token_store=MemoryTokenStore(), journal=journal)
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await sign_in_demo(pilot, 1)
        await pilot.press("c")
        await wait_for(pilot, lambda: seen(messages, ServicesFound), "the store")
        await pilot.press("slash", *"pesée")
        await wait_for(pilot, lambda: seen(messages, ServicesFound)[-1].query == "pesée",
                       "the search")
        await settle(pilot)
        await pilot.press("enter")  # to the list
        assert app.screen.query_one("#store-services", DataTable).has_focus
        await pilot.press("enter")  # the first service's sheet
        await wait_for(pilot, lambda: seen(messages, ServiceSheetLoaded), "the sheet")
        await settle(pilot)
        assert seen(messages, ServiceSheetLoaded)[0].sheet.id == "pesee-claire"
        await pilot.press("c")
        dialog = await consent_dialog(pilot)
        height = next(line for line in dialog.query(PermissionSwitch) if line.key == HEIGHT_READ)
        height.query_one(Switch).focus()
        await pilot.press("space")
        await pilot.click("#allow")
        await wait_for(pilot, lambda: seen(messages, ServiceConnected), "the connection")
        await settle(pilot)
        await pilot.press("escape")  # back from the sheet to the store
        screen = await open_services(pilot, messages)
        await select(pilot, screen, "pesee-claire")
        await pilot.press("delete")
        await wait_for(pilot, lambda: isinstance(app.screen, RevokeDialog), "the confirmation")
        await pilot.pause()
        await pilot.click("#confirm")
        await wait_for(pilot, lambda: seen(messages, GrantChanged), "the revocation")
        await settle(pilot)

    assert SESSION_FILE.match(journal.path.name)
    assert journal.path.parent == tmp_path / "journal"
    lines = lines_of(journal)
    events = [line["event"] for line in lines]
    assert in_order(events, [
        "app_started", "screen", "signed_in", "screen", "screen", "search", "sheet_opened",
        "consent_shown", "permission_switched", "consent_decided", "screen", "revoked",
        "app_closed"]), events
    assert [line["seq"] for line in lines] == list(range(1, len(lines) + 1))
    assert {line["session"] for line in lines} == {journal.session}
    assert all(list(line)[:len(BASE_FIELDS)] == list(BASE_FIELDS) for line in lines)
    for line in lines:
        at = datetime.fromisoformat(line["at"])
        assert at.utcoffset() is not None, "wall time with its offset"
        assert abs(at - datetime.now(UTC)) < timedelta(minutes=5)

    started = lines[0]
    assert started["event"] == "app_started"
    assert started["lang"] == "fr" and started["server"] == live_server
    assert started["account"] is None and started["space"] is None
    assert lines[1]["event"] == "screen" and lines[1]["screen"] == "login"
    signed = first(lines, "signed_in")
    assert signed["account"] == "camille.martin" and signed["space"]
    assert [line["screen"] for line in lines if line["event"] == "screen"][1:5] == [
        "home", "store", "service_sheet", "consent"]
    assert first(lines, "screen", screen="service_sheet")["service"] == "pesee-claire"
    assert first(lines, "search")["text"] == "pesée"
    assert first(lines, "search")["results"] >= 1
    assert first(lines, "sheet_opened")["service"] == "pesee-claire"

    shown = first(lines, "consent_shown")
    assert shown["service"] == "pesee-claire"
    assert set(shown["permissions"]) == {
        "measures/body_weight/write", "measures/body_weight/read",
        "measures/body_height/read", "measures/bmi/read"}
    switched = first(lines, "permission_switched")
    assert switched["service"] == "pesee-claire" and switched["dialog"] == "consent"
    assert switched["permission"] == "measures/body_height/read"
    assert switched["value"] == "off"
    decided = first(lines, "consent_decided")
    assert decided["decision"] == "allow"
    assert decided["refused"] == ["measures/body_height/read"]
    assert set(decided["granted"]) == {"measures/body_weight/write",
                                       "measures/body_weight/read", "measures/bmi/read"}
    assert decided["duration"] == "1y"
    assert 0 < decided["seconds_on_dialog"] < 60
    assert all(line["account"] == "camille.martin" for line in lines
               if line["event"] in ("search", "consent_decided", "revoked"))

    revoked = first(lines, "revoked")
    assert revoked["service"] == "pesee-claire" and revoked["status"] == "revoked"
    assert lines[-1]["event"] == "app_closed"


async def test_escape_on_the_consent_dialog_is_journaled_as_cancel(
        live_server, messages, tmp_path) -> None:
    journal = Journal(tmp_path)
    app = make_app(live_server, token_store=MemoryTokenStore(), journal=journal)
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await sign_in_demo(pilot, 1)
        from tests.tui.services_support import open_sheet

        await open_sheet(pilot, messages, "pesee-claire")
        await pilot.press("c")
        await consent_dialog(pilot)
        await pilot.press("escape")
        await settle(pilot)
    decided = first(lines_of(journal), "consent_decided")
    assert decided["decision"] == "cancel" and decided["service"] == "pesee-claire"
    assert "granted" not in decided and decided["seconds_on_dialog"] >= 0


async def test_an_unwritable_journal_is_told_once_and_the_app_keeps_working(
        live_server, messages, tmp_path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the journal folder should be", encoding="utf-8")
    journal = Journal(blocker / "journal")
    app = make_app(live_server, token_store=MemoryTokenStore(), journal=journal)
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await sign_in_demo(pilot, 1)
        await pilot.press("c")
        await wait_for(pilot, lambda: seen(messages, ServicesFound), "the store")
        await settle(pilot)
        assert app.current_mode == "store", "the app went on"
        warnings = [(title, message) for title, message in toasts(app)
                    if title == "Journal arrêté"]
        assert len(warnings) == 1, toasts(app)
        assert str(blocker / "journal") in warnings[0][1]
        assert "la session continue sans journal" in warnings[0][1]
        assert not journal.enabled and isinstance(journal.failure, OSError)
    assert not (blocker / "journal").exists()


def test_each_line_is_on_disk_as_soon_as_it_is_written(tmp_path: Path) -> None:
    journal = Journal(tmp_path)
    journal.update(account="camille.martin")
    assert journal.write("screen", screen="home")
    # Read while the journal is still open: a crash now would lose nothing.
    line = json.loads(journal.path.read_text(encoding="utf-8"))
    assert line["event"] == "screen" and line["screen"] == "home"
    assert line["account"] == "camille.martin" and line["seq"] == 1
    assert line["scenario"] is None and line["step"] is None
    journal.close()
    assert not journal.write("screen", screen="store"), "nothing after close"


async def test_a_space_switch_and_the_sign_out_are_journaled_with_whose_space(
        live_server, messages, tmp_path) -> None:
    from ens_consent_tui.messages import SignedOut
    from ens_consent_tui.screens.space import SpaceChoiceDialog

    journal = Journal(tmp_path)
    app = make_app(live_server, token_store=MemoryTokenStore(), journal=journal)
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await sign_in_demo(pilot, 4)  # Sophie, who represents her son
        await pilot.press("enter")  # her own space
        await wait_for(pilot, lambda: app.current_mode == "home", "the home screen")
        own = app.session.space.patient_id
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, SpaceChoiceDialog), "the choice")
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: not app.session.space.is_self, "Léo's space")
        child = app.session.space.patient_id
        await pilot.press("x")
        await wait_for(pilot, lambda: seen(messages, SignedOut), "the sign-out")
        await settle(pilot)
    lines = lines_of(journal)
    switched = first(lines, "space_switched")
    assert (switched["space"], switched["previous_space"]) == (child, own)
    assert switched["space_name"] == "Léo Dubois" and switched["own_space"] is False
    assert switched["account"] == "sophie.dubois"
    signed_out = first(lines, "signed_out")
    assert signed_out["expired"] is False and signed_out["space"] == child
    after = lines[lines.index(signed_out) + 1:]
    assert after and all(line["account"] is None for line in after), \
        "nobody is signed in after the sign-out"


async def test_inspecting_an_exchange_and_exporting_the_log_are_journaled(
        live_server, settings, messages, tmp_path) -> None:
    from ens_consent_tui.messages import ExchangeOpened, ExchangesExported
    from tests.tui.exchanges_support import GLYCO, Services
    from tests.tui.test_exchanges import glyco_with_three_exchanges, open_log

    journal = Journal(tmp_path / "journal")
    app = make_app(live_server, token_store=MemoryTokenStore(), journal=journal)
    app.export_dir = tmp_path
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        _, log = await open_log(pilot, messages)
        await glyco_with_three_exchanges(Services(live_server, settings), pilot, log)
        await pilot.press("up", "enter")  # the denied document search
        await wait_for(pilot, lambda: seen(messages, ExchangeOpened), "the detail")
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("v")
        await wait_for(pilot, lambda: seen(messages, ExchangesExported), "the export")
        await settle(pilot)
    lines = lines_of(journal)
    inspected = first(lines, "exchange_inspected")
    detail = seen(messages, ExchangeOpened)[0].detail.summary
    assert inspected["exchange"] == detail.id and inspected["service"] == GLYCO
    assert inspected["outcome"] == "denied" and inspected["data_class"] == "documents"
    assert [line["screen"] for line in lines if line["event"] == "screen"][-2:] == [
        "exchange_detail", "exchanges"]
    saved = first(lines, "export_saved")
    assert saved["format"] == "csv"
    assert saved["path"] == str(seen(messages, ExchangesExported)[0].path)
