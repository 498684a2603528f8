"""Changing a grant from anywhere (Mes services, the command palette): open the dialog, then
tell the person what changed and the screen in front that the register moved (`GrantChanged`,
which bubbles up to the app)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from ens_consent_tui.client.grants import Grant
from ens_consent_tui.grant_wording import validity_label
from ens_consent_tui.messages import GrantChanged
from ens_consent_tui.screens.consent import connect_service
from ens_consent_tui.screens.services_dialogs import (
    DurationDialog,
    ExcludeDialog,
    GrantDialog,
    PermissionsDialog,
    RevokeDialog,
)

if TYPE_CHECKING:
    from ens_consent_tui.app import EnsConsentApp

CHANGE_GROUP = "grant-change"


def narrow_grant(app: EnsConsentApp, grant: Grant) -> None:
    _run(app, PermissionsDialog(grant), "narrowed")


def change_grant_duration(app: EnsConsentApp, grant: Grant) -> None:
    _run(app, DurationDialog(grant), "duration_changed")


def exclude_documents(app: EnsConsentApp, grant: Grant) -> None:
    _run(app, ExcludeDialog(grant), "excluded")


def revoke_grant(app: EnsConsentApp, grant: Grant) -> None:
    _run(app, RevokeDialog(grant), "revoked")


def _run(app: EnsConsentApp, dialog: GrantDialog, change: str) -> None:
    """One change at a time: ignored while a grant dialog is in front; otherwise it replaces
    a change left waiting (a dialog dropped with its section at logout never answers)."""
    if isinstance(app.screen, GrantDialog):
        return
    app.run_worker(partial(_change, app, dialog, change), group=CHANGE_GROUP, exclusive=True)


async def _change(app: EnsConsentApp, dialog: GrantDialog, change: str) -> None:
    changed = await app.push_screen_wait(dialog)
    if isinstance(dialog, PermissionsDialog) and dialog.reconnect_wanted:
        connect_service(app, dialog.grant.service.id)
        return
    if changed is None:
        return
    if changed.status == "revoked":
        change = "revoked"
    app.notify(_told(app, dialog.grant, changed, change),
               title=app.i18n(f"services.changed.{change}.title"))
    app.screen.post_message(GrantChanged(changed, change))


def _told(app: EnsConsentApp, before: Grant, after: Grant, change: str) -> str:
    t, name = app.i18n, after.service.name
    if change == "narrowed":
        return t("services.changed.narrowed", service=name,
                 count=len(before.permissions) - len(after.permissions))
    if change == "duration_changed":
        return t("services.changed.duration_changed", service=name,
                 validity=validity_label(t, after.valid_until))
    if change == "excluded":
        return t("services.changed.excluded", service=name,
                 count=len(after.excluded) - len(before.excluded))
    return t("services.changed.revoked", service=name)
