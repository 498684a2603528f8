"""The register of access authorisations ("répertoire des autorisations", DESIGN §5).

A grant is what one patient allowed one service (or outside client): permissions, validity,
"include earlier data", and for the `ressource` granularity excluded documents and a date
window. It is created by the OAuth consent step (`step.record_consent`), changed by the patient
through `/grants` (`routes`), read on every FHIR request (`enforcement.load_token_and_consent`),
and each change is a new version with a snapshot and a `grant` event. Store services are OAuth
clients registered here at start (`service_clients`).
"""

from fastapi import FastAPI

from mock_server.catalog import load_catalog
from mock_server.consent.routes import router
from mock_server.consent.service_clients import service_client_secret, sync_service_clients

__all__ = ["install", "service_client_secret"]


def install(app: FastAPI) -> None:
    """Register the catalogue's services as OAuth clients (redirect URIs under this server's base
    URL), align their grants with the referencing statuses, and mount `/grants`."""
    platform = app.state.platform
    with platform.engine.begin() as conn:
        writer = sync_service_clients(conn, load_catalog(), platform.settings.base_url,
                                      platform.clock.now())
    if writer.published:
        platform.notifier.notify()
    app.include_router(router)
