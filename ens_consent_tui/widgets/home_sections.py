"""The cards of the home screen. Each one fetches its own data and shows it.

`HOME_SECTIONS` is the list the home screen composes, in order. Phase 2 adds the cards for
connected services, recent exchanges and what needs attention (expiring grants, denied
exchanges, suspended services): subclass `HomeSection`, append it here.
"""

from __future__ import annotations

from collections import Counter
from typing import ClassVar

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from ens_consent_tui.client import EnsClient
from ens_consent_tui.client.measures import MEASURES
from ens_consent_tui.client.records import DOCUMENT_GROUPS, Agenda, Document, MeasurePoint
from ens_consent_tui.formatting import format_date, format_datetime, format_values
from ens_consent_tui.i18n import Catalogue

UPCOMING_SHOWN = 4


class HomeSection(Vertical):
    """A titled card: `fetch` gets the data (in a worker), `format_lines` words it."""

    DEFAULT_CSS = """
    HomeSection {
        height: auto;
        border: round $primary;
        border-title-style: bold;
        padding: 0 1;
    }
    HomeSection > .home-section-body {
        height: auto;
    }
    """

    SECTION_ID: ClassVar[str]
    TITLE_KEY: ClassVar[str]

    def __init__(self) -> None:
        super().__init__(id=f"home-{self.SECTION_ID}")

    def compose(self) -> ComposeResult:
        yield Static(classes="home-section-body")

    def on_mount(self) -> None:
        self.border_title = self.app.i18n(self.TITLE_KEY)

    async def fetch(self, client: EnsClient) -> object:
        raise NotImplementedError

    def format_lines(self, t: Catalogue, data: object) -> list[str]:
        raise NotImplementedError

    def show(self, data: object) -> None:
        self.query_one(".home-section-body", Static).update(
            "\n".join(self.format_lines(self.app.i18n, data)))


class UpcomingAppointments(HomeSection):
    SECTION_ID = "agenda"
    TITLE_KEY = "home.agenda.title"

    async def fetch(self, client: EnsClient) -> Agenda:
        return await client.fhir.agenda()

    def format_lines(self, t: Catalogue, data: object) -> list[str]:
        assert isinstance(data, Agenda)
        if not data.upcoming:
            return [t("home.agenda.none")]
        lines = [t("home.agenda.line", when=format_datetime(t, a.start),
                   what=a.description or a.service, status=t(f"appointment.status.{a.status}"))
                 for a in data.upcoming[:UPCOMING_SHOWN]]
        if len(data.upcoming) > UPCOMING_SHOWN:
            lines.append(t("home.agenda.more", count=len(data.upcoming) - UPCOMING_SHOWN))
        return lines


class LatestMeasures(HomeSection):
    SECTION_ID = "measures"
    TITLE_KEY = "home.measures.title"

    async def fetch(self, client: EnsClient) -> dict[str, MeasurePoint]:
        return await client.fhir.latest_measures()

    def format_lines(self, t: Catalogue, data: object) -> list[str]:
        assert isinstance(data, dict)
        if not data:
            return [t("home.measures.none")]
        return [t("home.measures.line", measure=t(f"measure.{spec.key}"),
                  value=format_values(t, spec, data[spec.key].values),
                  date=format_date(t, data[spec.key].effective))
                for spec in MEASURES if spec.key in data]


class DocumentsByGroup(HomeSection):
    SECTION_ID = "documents"
    TITLE_KEY = "home.documents.title"

    async def fetch(self, client: EnsClient) -> list[Document]:
        return await client.fhir.documents()

    def format_lines(self, t: Catalogue, data: object) -> list[str]:
        assert isinstance(data, list)
        counts = Counter(d.group for d in data)
        lines = [t("home.documents.line", group=t(f"group.{g}"), count=counts[g])
                 for g in DOCUMENT_GROUPS]
        return [*lines, t("home.documents.total", count=len(data))]


HOME_SECTIONS: tuple[type[HomeSection], ...] = (UpcomingAppointments, LatestMeasures,
                                               DocumentsByGroup)
