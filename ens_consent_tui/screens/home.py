"""Accueil: what is coming, the latest measures, the documents — one card per `HomeSection`."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Grid, VerticalScroll

from ens_consent_tui.messages import HomeSectionLoaded
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
            # One group per card: a reload (another space) cancels that card's previous fetch.
            self.run_worker(self.load_section(section), group=f"home-{section.SECTION_ID}",
                            exclusive=True)

    async def load_section(self, section: HomeSection) -> None:
        with self.busy(section):
            data = await self.attempt(section.fetch(self.client))
        if data is not None:
            self.post_message(HomeSectionLoaded(section.SECTION_ID, data))

    def on_home_section_loaded(self, message: HomeSectionLoaded) -> None:
        self.query_one(f"#home-{message.section_id}", HomeSection).show(message.data)
