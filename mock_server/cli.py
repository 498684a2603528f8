"""`ens-mock-server`: run the mock ENS platform and act on its database from a terminal.

Every subcommand that touches data takes the same `--database-url`, so a second terminal can act on
a running server's database.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

import click
from sqlalchemy import Engine, select
from sqlalchemy.exc import ArgumentError, OperationalError

from mock_server.admin.cli import admin as admin_commands
from mock_server.settings import Settings
from mock_server.simulation.clock import Clock

_database_option = click.option(
    "--database-url",
    envvar="ENS_DATABASE_URL",
    default=None,
    help="SQLAlchemy URL of the database (default: a SQLite file in the user data directory).",
)
_seed_option = click.option(
    "--seed", type=int, default=None, help="Seed of the synthetic data (same seed, same data)."
)


def _friendly_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn database and settings errors into one readable line, never a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ArgumentError as exc:
            raise click.ClickException(f"URL de base de données invalide : {exc}") from None
        except OperationalError as exc:
            reason = str(exc.orig) if exc.orig else str(exc)
            raise click.ClickException(f"Base de données inaccessible : {reason}") from None

    return wrapper


def _settings(**overrides: Any) -> Settings:
    return Settings(**{k: v for k, v in overrides.items() if v is not None})


def allow_plain_http_off_loopback(base_url: str) -> bool:
    """Let authlib serve OAuth over plain http on a LAN address (a workshop server).

    authlib refuses non-HTTPS OAuth requests except on loopback; a shared workshop server reached
    at http://192.168.x.y would then refuse every login. Synthetic data only, so we allow it and
    say so. Returns True when the permission was needed.
    """
    parts = urlsplit(base_url)
    if parts.scheme != "http" or parts.hostname in ("127.0.0.1", "localhost", "::1"):
        return False
    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"
    return True


def _open_engine(settings: Settings) -> Engine:
    from mock_server.storage import create_storage_engine

    return create_storage_engine(settings.database_url)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ens-consent")
def main() -> None:
    """Mock ENS platform (Mon espace santé): OAuth 2 / OIDC, FHIR R4, store and consent."""


@main.command()
@click.option("--host", default=None, help="Interface to listen on (default 127.0.0.1).")
@click.option("--port", type=int, default=None, help="TCP port (default 8765).")
@click.option("--public-url", default=None, help="Base URL clients use, if not http://HOST:PORT.")
@_database_option
@_seed_option
@click.option("--fresh", is_flag=True, help="Wipe the database and seed it again before starting.")
@click.option("--maille", type=click.Choice(["categorie", "type", "ressource"]), default=None,
              help="Consent granularity offered to patients (default: type).")
@_friendly_errors
def serve(host: str | None, port: int | None, public_url: str | None, database_url: str | None,
          seed: int | None, fresh: bool, maille: str | None) -> None:
    """Run the platform with uvicorn."""
    import uvicorn

    from mock_server.app import create_app

    settings = _settings(host=host, port=port, public_url=public_url, database_url=database_url,
                         seed=seed, maille=maille)
    if not settings.facilitator_token:
        settings = settings.model_copy(update={"facilitator_token": secrets.token_urlsafe(24)})
    if allow_plain_http_off_loopback(settings.base_url):
        click.echo("Attention : adresse http hors de cette machine ; OAuth est permis en http pour "
                   "l'atelier (données synthétiques uniquement).")
    app = create_app(settings, clock=Clock(), fresh=fresh)
    click.echo(f"Plateforme ENS simulée : {settings.base_url}  (FHIR : {settings.fhir_base_url})")
    click.echo(f"Documentation de l'API : {settings.base_url}/docs")
    click.echo(f"Maille de consentement : {settings.maille}")
    click.echo(f"Jeton animateur (facilitator) : {settings.facilitator_token}")
    click.echo(f"Console animateur : ens-mock-server admin --server {settings.base_url} "
               "--token <jeton> connections")
    click.echo("Comptes de démonstration : ens-mock-server accounts")
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info")


@main.command()
@_database_option
@_seed_option
@click.option("--fresh", is_flag=True, help="Wipe the database first.")
@_friendly_errors
def seed(database_url: str | None, seed: int | None, fresh: bool) -> None:
    """Fill the database with synthetic patients and data (kept if already there)."""
    from mock_server.seed import seed_database

    settings = _settings(database_url=database_url, seed=seed)
    summary = seed_database(_open_engine(settings), seed=settings.seed, now=Clock().now(),
                            fresh=fresh)
    if summary.seeded:
        click.echo(f"Données créées : {summary.patients} patients, {summary.resources} ressources "
                   f"(graine {settings.seed}).")
    else:
        click.echo("La base contient déjà des données ; utilisez --fresh pour repartir de zéro.")


def account_rows(engine: Engine) -> list[dict]:
    """Every login with its own patient and the patients it may act for."""
    from mock_server.seed.patients import DEMO_PASSWORD
    from mock_server.storage.schema import accounts, patients, representations

    with engine.connect() as conn:
        names = {r.id: f"{r.given} {r.family}" for r in conn.execute(select(patients))}
        reps: dict[str, list[dict]] = {}
        for r in conn.execute(select(representations)):
            reps.setdefault(r.username, []).append(
                {"patient_id": r.patient_id, "name": names[r.patient_id],
                 "relationship": r.relationship}
            )
        rows = conn.execute(select(accounts).order_by(accounts.c.username)).all()
    return [
        {
            "username": r.username,
            "password": DEMO_PASSWORD,
            "name": r.display_name,
            "patient_id": r.patient_id,
            "represents": reps.get(r.username, []),
        }
        for r in rows
    ]


@main.command()
@_database_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@_friendly_errors
def accounts(database_url: str | None, as_json: bool) -> None:
    """List the synthetic accounts (seeding the database first if it is empty)."""
    from mock_server.seed import seed_database

    settings = _settings(database_url=database_url)
    engine = _open_engine(settings)
    seed_database(engine, seed=settings.seed, now=Clock().now())
    rows = account_rows(engine)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    click.echo(f"{'identifiant':<18} {'mot de passe':<13} {'nom':<18} représente")
    for row in rows:
        represents = ", ".join(f"{r['name']} ({r['relationship']})" for r in row["represents"])
        click.echo(f"{row['username']:<18} {row['password']:<13} {row['name']:<18} {represents}")


@main.command("register-client")
@click.option("--name", required=True, help="Name shown to patients on the consent page.")
@click.option("--redirect-uri", "redirect_uris", multiple=True, required=True,
              help="Redirect URI (https, or http on 127.0.0.1/[::1]); repeat for several.")
@click.option("--public", is_flag=True, help="A public client (no secret; PKCE only).")
@click.option("--scope", default=None, help="Widest scope the client may ask for.")
@_database_option
@_friendly_errors
def register_client(name: str, redirect_uris: tuple[str, ...], public: bool, scope: str | None,
                    database_url: str | None) -> None:
    """Register an outside OAuth client and print its client_id (and client_secret) as JSON."""
    from mock_server.oauth.clients import RegistrationError
    from mock_server.oauth.clients import register_client as register

    engine = _open_engine(_settings(database_url=database_url))
    extra = {"scope": scope} if scope else {}
    try:
        with engine.begin() as conn:
            info = register(conn, name=name, redirect_uris=list(redirect_uris), public=public,
                            now=Clock().now(), **extra)
    except RegistrationError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(json.dumps(info, ensure_ascii=False, indent=2))


main.add_command(admin_commands)

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
