"""One exchange in full: the request the service made, the server's answer and why, and the FHIR
resources it wrote, pretty-printed (Escape goes back to the log)."""

from __future__ import annotations

import json
from typing import ClassVar
from urllib.parse import unquote

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, Static, TextArea

from ens_consent_tui.client.exchanges import ExchangeDetail, ExchangeSummary
from ens_consent_tui.formatting import local
from ens_consent_tui.i18n import Catalogue
from ens_consent_tui.messages import ExchangeOpened
from ens_consent_tui.screens.base import EnsScreen
from ens_consent_tui.widgets.exchange_log_format import ExchangeWords
from ens_consent_tui.widgets.footer import KeysFooter
from ens_consent_tui.widgets.space_header import SpaceHeader

RESOURCES_SHOWN = 5


class ExchangeDetailScreen(EnsScreen):
    """The detail of one exchange of the log."""

    CSS_PATH = "exchanges.tcss"
    AUTO_FOCUS = "#detail-payload"
    BINDINGS: ClassVar = [Binding("escape", "back", "exchanges.key.back", id="back")]

    def __init__(self, exchange: ExchangeSummary) -> None:
        super().__init__()
        self.exchange = exchange
        self.detail: ExchangeDetail | None = None

    def compose(self) -> ComposeResult:
        words = ExchangeWords(self.t)
        yield SpaceHeader(id="space-header")
        with Vertical(id="exchange-detail"):
            yield Label(self.t("exchanges.detail.title", id=self.exchange.id,
                               outcome=words.outcome(self.exchange.outcome)),
                        id="detail-title", classes="dialog-title")
            yield Static(id="detail-request")
            yield Label(self.t("exchanges.detail.payload"), classes="help-heading")
            yield TextArea(read_only=True, soft_wrap=True, id="detail-payload")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.load_detail()

    @work(exclusive=True)
    async def load_detail(self) -> None:
        with self.busy(self.query_one("#exchange-detail")):
            detail = await self.attempt(self.client.exchanges.detail(self.exchange.id))
        if detail is not None:
            self.post_message(ExchangeOpened(detail))

    def on_exchange_opened(self, message: ExchangeOpened) -> None:
        self.detail = message.detail
        self.query_one("#detail-request", Static).update(
            Text("\n".join(request_lines(self.t, message.detail))))
        self.query_one("#detail-payload", TextArea).text = payload_text(self.t, message.detail)

    def action_back(self) -> None:
        self.dismiss()


def request_lines(t: Catalogue, detail: ExchangeDetail) -> list[str]:
    """The request, the answer and its reason, in words."""
    words = ExchangeWords(t)
    summary = detail.summary
    path = detail.path + (f"?{unquote(detail.query)}" if detail.query else "")
    lines = [
        t("exchanges.detail.request_line", method=detail.method, path=path),
        t("exchanges.detail.status", status=detail.status),
        t("exchanges.detail.service", service=summary.service_name,
          client_id=summary.client_id),
        t("exchanges.detail.when",
          when=local(summary.at).strftime(t("exchanges.format.datetime"))),
        t("exchanges.detail.what", what=words.what(summary.data_class, summary.subtype),
          direction=words.direction(summary.direction), interaction=summary.interaction),
        t("exchanges.detail.count", count=summary.count),
    ]
    if summary.reason:
        lines.append(t("exchanges.detail.reason", reason=summary.reason))
    if detail.resources:
        lines.append(t("exchanges.detail.resources", count=len(detail.resources)))
        lines.extend(f"  {ref}" for ref in detail.resources[:RESOURCES_SHOWN])
        if len(detail.resources) > RESOURCES_SHOWN:
            lines.append(t("exchanges.detail.more_resources",
                           count=len(detail.resources) - RESOURCES_SHOWN))
    return lines


def payload_text(t: Catalogue, detail: ExchangeDetail) -> str:
    """The resources written, as indented JSON; or why there are none."""
    if detail.payload is not None:
        return json.dumps(detail.payload, indent=2, ensure_ascii=False)
    if detail.payload_omitted:
        return t("exchanges.detail.payload_omitted", size=detail.payload_bytes)
    return t("exchanges.detail.no_payload")
