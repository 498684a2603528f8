"""OAuth 2 / OpenID Connect authorization server (authlib core behind our own ASGI adapter)."""

from fastapi import FastAPI


def install(app: FastAPI) -> None:
    """Mount the authorization server's routes on the platform app."""
