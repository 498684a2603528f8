"""The store catalogue of referenced third-party services (DESIGN §1, §5, §7) and its public API.

`load_catalog()` gives the validated services; `scope_for`, `requested_scopes`,
`permission_from_scope` and `describe` translate their permissions to scopes and sentences.
"""

from fastapi import FastAPI

from mock_server.catalog.loader import CatalogError, load_catalog
from mock_server.catalog.models import Catalog, Permission, RequestedPermission, ServiceSheet
from mock_server.catalog.permissions import (
    describe,
    permission_from_scope,
    requested_scopes,
    scope_for,
)
from mock_server.catalog.routes import router
from mock_server.catalog.search import CatalogIndex

__all__ = [
    "Catalog",
    "CatalogError",
    "Permission",
    "RequestedPermission",
    "ServiceSheet",
    "describe",
    "install",
    "load_catalog",
    "permission_from_scope",
    "requested_scopes",
    "scope_for",
]


def install(app: FastAPI) -> None:
    """Load the catalogue (a broken file stops the start) and mount the `/store` routes."""
    app.state.catalog_index = CatalogIndex(load_catalog())
    app.include_router(router)
