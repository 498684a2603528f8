"""Grants, their history and who wrote a value, told in the person's words (no Textual).

Meaning never rests on colour: every status has a glyph and a word (`● actif`, `✗ révoqué`),
every cell of the permissions matrix says what is shared (`✓ poids, taille`) or a dash.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from ens_consent_tui.client.auth import APP_CLIENT_ID
from ens_consent_tui.client.grants import ALL, Grant, GrantPermission, GrantVersion
from ens_consent_tui.client.records import parse_instant
from ens_consent_tui.client.services import source_client_id
from ens_consent_tui.formatting import format_date, format_datetime, shorten
from ens_consent_tui.i18n import Catalogue

ACTOR_PLATFORM = "plateforme"
ACTOR_AUTHORITY = "autorite"
"""The server's names for the clock's and the referencing authority's changes."""
CELL_WIDTH = 30
"""Characters of a matrix cell before it is cut with an ellipsis."""


def status_label(t: Catalogue, status: str) -> str:
    """`● actif`, `⏸ suspendu`, `✗ révoqué`, `⌛ expiré`."""
    key = f"grant.status.{status}"
    return t(key) if key in t else status


def validity_label(t: Catalogue, valid_until: datetime | None) -> str:
    """`jusqu'au 26/05/2027`, or `jusqu'à révocation` for a grant without an end."""
    if valid_until is None:
        return t("grant.validity.open")
    return t("grant.validity.until", date=format_date(t, valid_until))


def grant_validity(t: Catalogue, grant: Grant) -> str:
    """Until when a grant applies, or since when it no longer does."""
    if grant.status == "revoked":
        return t("grant.validity.revoked", date=format_date(t, grant.updated_at))
    if grant.status == "expired" and grant.valid_until is not None:
        return t("grant.validity.expired", date=format_date(t, grant.valid_until))
    return validity_label(t, grant.valid_until)


def subtype_label(t: Catalogue, subtype: str) -> str:
    """A measure or document group in a few words (`poids`, `biologie`), `tout` for all."""
    key = f"subtype.{subtype}"
    return t(key) if key in t else subtype


def permission_label(t: Catalogue, data_class: str, subtype: str, access: str) -> str:
    """A permission in short: `mesures · taille (lecture)`."""
    what = t(f"data_class.{data_class}") if subtype == ALL else \
        t("grant.permission.what", data_class=t(f"data_class.{data_class}"),
          subtype=subtype_label(t, subtype))
    return t("grant.permission.short", what=what, access=t(f"grant.access.{access}"))


def matrix_cell(t: Catalogue, permissions: Iterable[GrantPermission]) -> str:
    """What one data class × access cell shares: `✓ poids, taille`, `✓ tout`, or `—`."""
    subtypes = [p.subtype for p in permissions]
    if not subtypes:
        return t("grant.cell.none")
    names = t("subtype.all") if ALL in subtypes else \
        ", ".join(subtype_label(t, s) for s in subtypes)
    return shorten(t("grant.cell.some", subtypes=names), CELL_WIDTH)


def actor_label(t: Catalogue, actor: str, username: str | None) -> str:
    """Who made a change: `vous`, the platform (expiry), the authority, or a login name."""
    if actor == username:
        return t("grant.actor.you")
    if actor == ACTOR_PLATFORM:
        return t("grant.actor.platform")
    if actor == ACTOR_AUTHORITY:
        return t("grant.actor.authority")
    return actor


@dataclass(frozen=True)
class HistoryEntry:
    """One step of a grant's timeline, in words."""

    version: int
    when: str
    who: str
    what: str
    details: tuple[str, ...]


def history_entries(t: Catalogue, history: Iterable[GrantVersion],
                    username: str | None) -> list[HistoryEntry]:
    """The timeline, newest first: each version with what changed since the one before."""
    entries: list[HistoryEntry] = []
    previous: GrantVersion | None = None
    for version in history:
        entries.append(HistoryEntry(
            version.version, format_datetime(t, version.at),
            actor_label(t, version.actor, username), _change_label(t, version),
            tuple(_differences(t, previous, version))))
        previous = version
    return entries[::-1]


def _change_label(t: Catalogue, version: GrantVersion) -> str:
    key = f"grant.change.{version.change}"
    label = t(key) if key in t else version.change
    if version.change in ("created", "reconnected", "duration_changed"):
        until = parse_instant(version.valid_until)
        return t("grant.change.with_validity", change=label,
                 validity=validity_label(t, until))
    return label


def _differences(t: Catalogue, before: GrantVersion | None, after: GrantVersion) -> list[str]:
    """Permissions taken away or given, documents excluded (none for the first version: its
    permissions are listed instead)."""
    if before is None:
        return [t("grant.history.granted", permissions=_labels(t, after.permission_keys))]
    lines = []
    removed = before.permission_keys - after.permission_keys
    added = after.permission_keys - before.permission_keys
    if removed:
        lines.append(t("grant.history.removed", permissions=_labels(t, removed)))
    if added:
        lines.append(t("grant.history.added", permissions=_labels(t, added)))
    excluded = len(after.snapshot.get("excluded") or ()) - \
        len(before.snapshot.get("excluded") or ())
    if excluded > 0:
        lines.append(t("grant.history.excluded", count=excluded))
    return lines


def _labels(t: Catalogue, keys: Iterable[tuple[str, str, str]]) -> str:
    return ", ".join(permission_label(t, *key) for key in sorted(keys)) or t("grant.cell.none")


def grant_summary(t: Catalogue, grant: Grant) -> str:
    """`● actif · 3 permission(s) · jusqu'au 26/11/2027`."""
    return t("grant.summary", status=status_label(t, grant.status),
             count=len(grant.permissions), validity=grant_validity(t, grant))


def source_label(t: Catalogue, source: str | None, names: Mapping[str, str]) -> str:
    """Who wrote a value: the service's name, `Saisie par vous`, or `Donnée initiale`."""
    if not source:
        return t("source.initial")
    client_id = source_client_id(source)
    if client_id is None:
        return source
    if client_id == APP_CLIENT_ID:
        return t("source.app")
    return names.get(client_id, client_id)
