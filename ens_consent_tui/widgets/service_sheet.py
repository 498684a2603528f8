"""A service's full sheet: everything a patient reads before deciding (read-only)."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from ens_consent_tui.client import store
from ens_consent_tui.formatting import format_date_only
from ens_consent_tui.i18n import Catalogue

ACCESS_GLYPHS = {"read": "◉", "write": "✎"}
STATUS_GLYPHS = {"reference": "✓", "suspendu": "⚠", "en-cours": "…"}


class ServiceSheet(VerticalScroll):
    """The sheet as titled sections; permissions say read or write in words, not colour."""

    DEFAULT_CSS = """
    ServiceSheet {
        height: 1fr;
        padding: 0 1;
    }
    ServiceSheet > .sheet-title {
        text-style: bold;
        color: $text-primary;
        margin-top: 1;
    }
    ServiceSheet > .sheet-heading {
        text-style: bold underline;
        margin-top: 1;
    }
    ServiceSheet > .sheet-status.-suspendu {
        text-style: bold reverse;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, can_focus=True)

    def show(self, sheet: store.ServiceSheet, labels: dict[str, dict[str, str]]) -> None:
        """Replace the content with `sheet`; `labels` names use cases and kinds of offerors."""
        self.remove_children()
        self.mount_all(list(self._compose_sheet(self.app.i18n, sheet, labels)))
        self.scroll_home(animate=False)

    def _compose_sheet(self, t: Catalogue, sheet: store.ServiceSheet,
                       labels: dict[str, dict[str, str]]) -> ComposeResult:
        kind = labels.get("offeror_kinds", {}).get(sheet.offeror_kind, sheet.offeror_kind)
        yield Static(Text(sheet.name), classes="sheet-title", id="sheet-name")
        yield Static(Text(t("sheet.editor", editor=sheet.editor.legal_name, kind=kind)))
        status = sheet.referencing.status
        yield Static(Text(t(f"sheet.status.{status}",
                            glyph=STATUS_GLYPHS.get(status, "•"),
                            date=format_date_only(t, sheet.referencing.date),
                            note=sheet.referencing.note or "")),
                     classes=f"sheet-status -{status}", id="sheet-status")
        yield Static(Text(sheet.description))
        yield from _section(t("sheet.use_cases"), [
            labels.get("use_cases", {}).get(u, u) for u in sheet.use_cases])
        yield from _section(t("sheet.purposes"), sheet.purposes)
        yield Static(t("sheet.permissions"), classes="sheet-heading")
        yield Static(_permissions(t, sheet.permissions), id="sheet-permissions")
        yield from _section(t("sheet.hosting"), [_hosting(t, sheet)], bullets=False)
        yield from _section(t("sheet.pricing"), [_pricing(t, sheet)], bullets=False)
        yield from _section(t("sheet.platforms"), [
            ", ".join(t(f"platform.{p}") for p in sheet.platforms)], bullets=False)
        yield from _section(t("sheet.dpo"), [
            t("sheet.dpo.line", email=sheet.dpo_contact.email,
              address=sheet.dpo_contact.address)], bullets=False)
        yield from _section(t("sheet.recourse"), [sheet.recourse], bullets=False)
        yield from _section(t("sheet.texts"), sheet.applicable_texts)
        links = [t(key, url=url) for key, url in (("sheet.privacy", sheet.privacy_policy_url),
                                                  ("sheet.terms", sheet.terms_url)) if url]
        if links:
            yield from _section(t("sheet.documents"), links, bullets=False)


def _section(title: str, lines: Iterable[str], *, bullets: bool = True) -> ComposeResult:
    yield Static(title, classes="sheet-heading")
    yield Static(Text("\n".join(f"• {line}" if bullets else line for line in lines)))


def _permissions(t: Catalogue, permissions: Iterable[store.RequestedPermission]) -> Text:
    text = Text()
    for permission in permissions:
        if text:
            text.append("\n")
        text.append(f"{ACCESS_GLYPHS.get(permission.access, '•')} ")
        text.append(t(f"access.{permission.access}"), style="bold")
        text.append(f" — {permission.sentence}\n")
        text.append(t("sheet.reason", reason=permission.reason), style="italic")
    return text


def _hosting(t: Catalogue, sheet: store.ServiceSheet) -> str:
    hosting = sheet.hosting
    key = "sheet.hosting.hds" if hosting.hds_certified else "sheet.hosting.not_hds"
    line = t(key, provider=hosting.provider, country=hosting.country)
    return f"{line}\n{hosting.note}" if hosting.note else line


def _pricing(t: Catalogue, sheet: store.ServiceSheet) -> str:
    label = t(f"pricing.{sheet.pricing}")
    return f"{label} — {sheet.price_note}" if sheet.price_note else label
