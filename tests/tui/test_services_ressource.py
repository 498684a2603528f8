"""Maille `ressource`: the patient keeps chosen documents out of a grant."""

from __future__ import annotations

import pytest
from textual.widgets import SelectionList

from ens_consent_tui.messages import GrantChanged
from ens_consent_tui.screens.services_dialogs import ExcludeDialog
from mock_server.settings import Settings
from tests.tui.conftest import seen, settle, sign_in_demo, wait_for
from tests.tui.services_support import connect_directly, grants_in, toasts
from tests.tui.test_services import open_services


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"maille": "ressource"})


async def test_excluding_a_document_keeps_it_out_of_the_grant(
        build_app, messages, live_server) -> None:
    await connect_directly(live_server, "camille.martin", "grossesse-sereine")
    app = build_app()
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await sign_in_demo(pilot, 1)
        screen = await open_services(pilot, messages)
        assert screen.check_action("exclude", ())
        await pilot.press("b")
        await wait_for(pilot, lambda: isinstance(app.screen, ExcludeDialog), "the dialog")
        documents = app.screen.query_one("#exclude-documents", SelectionList)
        await wait_for(pilot, lambda: documents.option_count, "the documents")
        await pilot.pause()
        labels = [str(documents.get_option_at_index(i).prompt)
                  for i in range(documents.option_count)]
        assert labels and all(label.endswith("(Biologie)") for label in labels), labels
        first = documents.get_option_at_index(0).value
        documents.focus()
        await pilot.press("space")
        await pilot.click("#confirm")
        await wait_for(pilot, lambda: seen(messages, GrantChanged), "the change")
        await settle(pilot)
        change = seen(messages, GrantChanged)[0]
        assert change.change == "excluded" and change.grant.excluded == (first,)
        assert (await grants_in(app.client))["grossesse-sereine"].excluded == (first,)
        assert ("Documents exclus", "Grossesse Sereine : 1 document(s) exclu(s).") in toasts(app)
