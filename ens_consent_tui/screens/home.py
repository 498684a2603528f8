"""Accueil: what is coming, the latest measures, the documents — one card per `HomeSection`."""

from __future__ import annotations

from functools import partial

from textual.app import ComposeResult
from textual.containers import Grid, VerticalScroll

from ens_consent_tui.messages import (
    EventsReceived,
    GrantChanged,
    HomeSectionLoaded,
    ServiceConnected,
)
from ens_consent_tui.screens.base import SectionScreen
from ens_consent_tui.widgets.home_sections import HOME_SECTIONS, HomeSection


class HomeScreen(SectionScreen):
    """The first section after login."""

    SECTION = "home"
    CSS_PATH = "home.tcss"
    AUTO_FOCUS = "#home-body"

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="home-body"), Grid(id="home-grid"):
            for section in HOME_SECTIONS:
                yield section()

    def load(self) -> None:
        for section in self.query(HomeSection):
            self.reload(section)

    def reload(self, section: HomeSection) -> None:
        # One group per card: a reload (another space) cancels that card's previous fetch.
        # A callable, not a coroutine: a worker cancelled before it starts leaves nothing behind.
        self.run_worker(partial(self.load_section, section), group=f"home-{section.SECTION_ID}",
                        exclusive=True)

    async def load_section(self, section: HomeSection) -> None:
        with self.busy(section):
            data = await self.attempt(section.fetch(self.client))
        if data is not None:
            self.post_message(HomeSectionLoaded(section.SECTION_ID, data))

    def on_home_section_loaded(self, message: HomeSectionLoaded) -> None:
        self.query_one(f"#home-{message.section_id}", HomeSection).show(message.data)

    # What the cards show changes elsewhere too (connections, changes, the live feed): read it
    # again when the screen comes back in front and when this space's register moves.

    def on_screen_resume(self) -> None:
        if self.came_back() and self.ens.session is not None:
            self.load()

    def on_service_connected(self, message: ServiceConnected) -> None:
        self.load()

    def on_grant_changed(self, message: GrantChanged) -> None:
        self.load()

    def on_events_received(self, message: EventsReceived) -> None:
        session = self.ens.session
        if session is None or message.patient_id != session.space.patient_id:
            return
        kinds = {event.kind for event in message.events}
        for section in self.query(HomeSection):
            if section.EVENT_KINDS & kinds:
                self.reload(section)
