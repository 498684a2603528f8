"""Palette commands about services: « Connecter X » for each store service, « Révoquer X » for
each grant still in force, « Aller au service X » (its sheet). Read from the server each time
the palette opens, so they follow the register. The screens they open are imported then, not
when the app starts."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import Hit, Hits, Provider

from ens_consent_tui.client import ClientError

if TYPE_CHECKING:
    from ens_consent_tui.app import EnsConsentApp


@dataclass(frozen=True)
class ServiceCommand:
    """A command the palette offers: what it says, what it explains, what it does."""

    name: str
    help: str
    run: Callable[[], object]


class ServiceCommands(Provider):
    """The command palette's service commands (none before login)."""

    commands: tuple[ServiceCommand, ...] = ()

    @property
    def ens(self) -> EnsConsentApp:
        return cast("EnsConsentApp", self.app)

    async def startup(self) -> None:
        app = self.ens
        if app.session is None:
            return
        from ens_consent_tui.screens.consent import connect_service
        from ens_consent_tui.screens.services_actions import revoke_grant

        store, t = app.client.store, app.i18n
        try:
            listing, grants, use_cases, kinds = await asyncio.gather(
                store.services(), app.client.grants.grants(), store.use_cases(t.lang),
                store.offeror_kinds(t.lang))
        except ClientError:
            return  # the palette keeps its other commands; the sections say what failed
        labels = {"use_cases": {c.code: c.label for c in use_cases},
                  "offeror_kinds": {c.code: c.label for c in kinds}}
        found = [ServiceCommand(t("command.connect", service=s.name),
                                t("command.connect.help"), partial(connect_service, app, s.id))
                 for s in listing.services]
        found += [ServiceCommand(t("command.revoke", service=g.service.name),
                                 t("command.revoke.help"), partial(revoke_grant, app, g))
                  for g in grants if g.can_revoke]
        found += [ServiceCommand(t("command.open_service", service=s.name),
                                 t("command.open_service.help"),
                                 partial(open_sheet, app, s.id, labels))
                  for s in listing.services]
        self.commands = tuple(found)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self.commands:
            score = matcher.match(command.name)
            if score > 0:
                yield Hit(score, matcher.highlight(command.name), command.run,
                          text=command.name, help=command.help)


def open_sheet(app: EnsConsentApp, service_id: str, labels: dict[str, dict[str, str]]) -> None:
    """Show a service's sheet over the current section (`labels`: the store's words for use
    cases and kinds of offerors)."""
    from ens_consent_tui.screens.service_sheet import ServiceSheetScreen

    app.push_screen(ServiceSheetScreen(service_id, labels))
