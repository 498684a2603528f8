"""OAuth 2 / OpenID Connect authorization server (authlib core behind our own ASGI adapter).

`install(app)` mounts the routes and creates the first-party patient app client. Other packages
use `tokens` (mint, check, revoke tokens) and `clients.register_client` (the CLI).
"""

from fastapi import FastAPI

from mock_server.oauth.clients import ensure_app_client
from mock_server.oauth.routes import mount


def install(app: FastAPI) -> None:
    """Mount the authorization server's routes on the platform app."""
    platform = app.state.platform
    ensure_app_client(platform.engine, platform.clock.now())
    mount(app)
