"""The cards of the home screen. Each one fetches its own data and shows it.

`HOME_SECTIONS` is the list the home screen composes, in order: what needs attention (expiring
grants, suspended services, denied exchanges), the connected services, the latest exchanges,
then the patient's own data. A new card: subclass `HomeSection`, add it there.
"""

from __future__ import annotations

from collections import Counter
from typing import ClassVar

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from ens_consent_tui.client import EnsClient
from ens_consent_tui.client.attention import Attention, attention
from ens_consent_tui.client.exchanges import ExchangeSummary
from ens_consent_tui.client.grants import Grant
from ens_consent_tui.client.measures import MEASURES
from ens_consent_tui.client.records import DOCUMENT_GROUPS, Agenda, Document, MeasurePoint
from ens_consent_tui.formatting import format_date, format_datetime, format_values, shorten
from ens_consent_tui.grant_wording import grant_summary
from ens_consent_tui.i18n import Catalogue

UPCOMING_SHOWN = 4
SERVICES_SHOWN = 5
RECENT_EXCHANGES = 5
REASON_WIDTH = 90
"""Characters of a refusal's reason on the home screen (the whole text is in Échanges)."""


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
    EVENT_KINDS: ClassVar[frozenset[str]] = frozenset({"new_data"})
    """Live events after which the card reads its data again."""

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


class NeedsAttention(HomeSection):
    """Grants ending within 7 days (platform time), suspended services, denied requests."""

    SECTION_ID = "attention"
    TITLE_KEY = "home.attention.title"
    EVENT_KINDS = frozenset({"grant", "suspension", "exchange", "clock"})

    async def fetch(self, client: EnsClient) -> Attention:
        return await attention(client.auth, client.grants)

    def format_lines(self, t: Catalogue, data: object) -> list[str]:
        assert isinstance(data, Attention)
        if data.empty:
            return [t("home.attention.none")]
        lines = [t("home.attention.expiring", service=g.service.name,
                   date=format_date(t, g.valid_until), days=_days_left(data, g))
                 for g in data.expiring]
        lines += [t("home.attention.suspended", service=g.service.name) for g in data.suspended]
        lines += [t("home.attention.denied", when=format_datetime(t, e.at),
                    service=e.service_name, what=_what(t, e),
                    reason=shorten(e.reason or t("error.no_reason"), REASON_WIDTH))
                  for e in data.denied]
        return lines


class ConnectedServices(HomeSection):
    """The services that may use the space's data now."""

    SECTION_ID = "services"
    TITLE_KEY = "home.services.title"
    EVENT_KINDS = frozenset({"grant", "suspension", "clock"})

    async def fetch(self, client: EnsClient) -> tuple[Grant, ...]:
        return await client.grants.grants()

    def format_lines(self, t: Catalogue, data: object) -> list[str]:
        assert isinstance(data, tuple)
        active = [g for g in data if g.is_active]
        if not active:
            return [t("home.services.none")]
        lines = [t("home.services.count", count=len(active))]
        lines += [t("home.services.line", service=g.service.name, summary=grant_summary(t, g))
                  for g in active[:SERVICES_SHOWN]]
        if len(active) > SERVICES_SHOWN:
            lines.append(t("home.services.more", count=len(active) - SERVICES_SHOWN))
        return lines


class RecentExchanges(HomeSection):
    """The last requests services made, allowed or denied (glyph and word)."""

    SECTION_ID = "exchanges"
    TITLE_KEY = "home.exchanges.title"
    EVENT_KINDS = frozenset({"exchange"})

    async def fetch(self, client: EnsClient) -> tuple[ExchangeSummary, ...]:
        return (await client.exchanges.page(limit=RECENT_EXCHANGES)).items

    def format_lines(self, t: Catalogue, data: object) -> list[str]:
        assert isinstance(data, tuple)
        if not data:
            return [t("home.exchanges.none")]
        return [t("home.exchanges.line", outcome=_outcome(t, e.outcome),
                  when=format_datetime(t, e.at), service=e.service_name, what=_what(t, e))
                for e in data]


def _days_left(data: Attention, grant: Grant) -> int:
    assert grant.valid_until is not None
    return max(0, (grant.valid_until - data.now).days)


def _outcome(t: Catalogue, outcome: str) -> str:
    key = f"home.outcome.{outcome}"
    return t(key) if key in t else outcome


def _what(t: Catalogue, exchange: ExchangeSummary) -> str:
    """`lecture · mesures`."""
    data_class = f"data_class.{exchange.data_class}"
    return t("home.exchanges.what", direction=t(f"grant.access.{exchange.direction}"),
             data_class=t(data_class) if data_class in t else t("home.data_class.other"))


HOME_SECTIONS: tuple[type[HomeSection], ...] = (NeedsAttention, ConnectedServices,
                                               RecentExchanges, UpcomingAppointments,
                                               LatestMeasures, DocumentsByGroup)
