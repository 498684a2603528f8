"""`ens-mock-server admin …`: the facilitator console from a terminal, talking to a running
server over HTTP (`--server`, `--token` or `ENS_FACILITATOR_TOKEN`).

Every command prints a few French lines (or the server's JSON with `--json`); every failure is
one line: server unreachable, token refused, or the server's own reason.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import click
import httpx

from mock_server.seed.measure_timeline import PARIS

DEFAULT_SERVER = "http://127.0.0.1:8765"
_MARKS = {"allowed": "✓", "denied": "✗", "unauthorized": "✗", "failed": "!", "error": "!",
          "skipped": "·"}


class Console:
    """The facilitator's HTTP client for one command."""

    def __init__(self, server: str, token: str | None, as_json: bool) -> None:
        self.server = server.rstrip("/")
        self.token = token
        self.as_json = as_json

    def call(self, method: str, path: str, body: dict | None = None) -> dict:
        if not self.token:
            raise click.ClickException("Jeton animateur manquant : --token ou la variable "
                                       "ENS_FACILITATOR_TOKEN (il est affiché au démarrage du "
                                       "serveur).")
        try:
            response = httpx.request(method, f"{self.server}/admin{path}", json=body,
                                     headers={"Authorization": f"Bearer {self.token}"},
                                     timeout=300)
        except httpx.TransportError as exc:
            raise click.ClickException(f"Serveur injoignable à {self.server} ({exc}) : "
                                       "démarrez-le avec « ens-mock-server serve » ou vérifiez "
                                       "--server.") from None
        return self._answer(response)

    def _answer(self, response: httpx.Response) -> dict:
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code in (401, 403):
            raise click.ClickException(f"Jeton animateur refusé ({response.status_code}) : "
                                       f"{body.get('detail', response.text[:200])}")
        if response.status_code >= 400:
            detail = body.get("detail") or response.text[:300]
            raise click.ClickException(f"{body.get('title', 'Erreur')} ({response.status_code})"
                                       f" : {detail}")
        return body

    def show(self, body: dict, lines: list[str]) -> None:
        if self.as_json:
            click.echo(json.dumps(body, ensure_ascii=False, indent=2))
        else:
            for line in lines:
                click.echo(line)


def _when(text: str | None) -> str:
    if not text:
        return "—"
    return datetime.fromisoformat(text).astimezone(PARIS).strftime("%d/%m/%Y %H:%M")


def _clock_line(clock: dict) -> str:
    state = "en pause" if clock["paused"] else f"vitesse ×{clock['speed']:g}"
    return (f"Heure simulée : {_when(clock['now'])} (Paris), {state} ; prochaine action "
            f"programmée : {_when(clock.get('next_action_at'))}")


def _call_lines(runs: list[dict]) -> list[str]:
    lines = []
    for run in runs:
        lines.append(f"{run['patient']} :")
        for call in run["calls"]:
            mark = _MARKS.get(call["outcome"], "?")
            status = call["status"] if call["status"] is not None else "—"
            line = f"  {mark} {status} {call['method']} {call['path']} — {call['summary']}"
            lines.append(line + (f" ({call['detail']})" if call.get("detail") else ""))
        if not run["calls"]:
            lines.append("  (aucune requête)")
    return lines


@click.group("admin")
@click.option("--server", envvar="ENS_SERVER_URL", default=DEFAULT_SERVER, show_default=True,
              help="Base URL of the running server.")
@click.option("--token", envvar="ENS_FACILITATOR_TOKEN", default=None,
              help="Facilitator token (printed by `serve`).")
@click.option("--json", "as_json", is_flag=True, help="Print the server's JSON answer.")
@click.pass_context
def admin(ctx: click.Context, server: str, token: str | None, as_json: bool) -> None:
    """Facilitator console: clock, named states, services, connections."""
    ctx.obj = Console(server, token, as_json)


@admin.command()
@click.option("--pause", is_flag=True, help="Pause the simulated clock.")
@click.option("--resume", is_flag=True, help="Resume at the last speed.")
@click.option("--speed", type=float, default=None, help="Speed factor (e.g. 60, 600).")
@click.option("--jump", default=None, help="Jump forward by a duration: 7d, 12h, P7D…")
@click.option("--to", "to", default=None, help="Jump forward to an ISO moment.")
@click.pass_obj
def clock(console: Console, pause: bool, resume: bool, speed: float | None, jump: str | None,
          to: str | None) -> None:
    """Show the simulated clock, or change it (one option at a time)."""
    changes: dict[str, Any] = {key: value for key, value in (
        ("pause", True if pause else None), ("resume", True if resume else None),
        ("speed", speed), ("jump", jump), ("to", to)) if value is not None}
    if len(changes) > 1:
        raise click.UsageError("Un seul changement à la fois : --pause, --resume, --speed, "
                               "--jump ou --to.")
    if not changes:
        body = console.call("GET", "/clock")
        console.show(body, [_clock_line(body)])
        return
    body = console.call("POST", "/clock", changes)
    lines = [_clock_line(body["clock"])]
    if body.get("jump"):
        report = body["jump"]
        lines.insert(0, f"Saut de {report['span']} : {report['occurrences']} actions de "
                        f"services, {report['requests']} requêtes.")
    console.show(body, lines)


@admin.command()
@click.argument("state", default="initial")
@click.pass_obj
def reset(console: Console, state: str) -> None:
    """Reset the platform to a named state (default: initial)."""
    body = console.call("POST", "/reset", {"state": state})
    lines = [f"Plateforme réinitialisée : état « {body['state']} » ({body['resources']} "
             "ressources).", body["description"]]
    lines += [f"  connecté : {c['service']['name']}" for c in body["connections"]]
    console.show(body, lines)


@admin.command()
@click.pass_obj
def states(console: Console) -> None:
    """List the named states."""
    body = console.call("GET", "/states")
    console.show(body, [f"{s['name']:<24} {s['description']}" for s in body["states"]])


@admin.command()
@click.argument("value", required=False)
@click.pass_obj
def maille(console: Console, value: str | None) -> None:
    """Show the consent granularity, or change it: categorie, type or ressource."""
    if value is None:
        body = console.call("GET", "/maille")
        console.show(body, [f"Maille de consentement : {body['maille']}"])
        return
    body = console.call("POST", "/maille", {"maille": value})
    console.show(body, [f"Maille de consentement : {body['maille']} (avant : "
                        f"{body['previous']}) ; les autorisations déjà données gardent la leur."])


def _connection(text: str) -> dict:
    """`SERVICE[:PERMISSION,...][@DURATION]` as a body item of `POST /admin/prepare`."""
    rest, _, duration = text.partition("@")
    service, _, refused = rest.partition(":")
    if not service.strip():
        raise click.BadParameter(f"« {text} » : le service manque (SERVICE[:PERMISSION,...]"
                                 "[@DURÉE]).", param_hint="--connect")
    item: dict[str, Any] = {"service": service.strip(),
                            "refuse": [p.strip() for p in refused.split(",") if p.strip()]}
    if duration.strip():
        item["duration"] = duration.strip()
    return item


@admin.command()
@click.argument("account")
@click.option("--for", "for_", default=None, metavar="PERSONA",
              help="Prepare the space of the person ACCOUNT represents (e.g. child).")
@click.option("--connect", "connects", multiple=True, metavar="SERVICE[:REFUSED,...][@DURATION]",
              help="Connect SERVICE through the consent flow, switching off the REFUSED "
                   "permissions (class/subtype/access, or class/*/access for a whole class), "
                   "for DURATION (1m, 6m, 1y or revocation; default 6m). Repeat for several "
                   "services, e.g. --connect grossesse-sereine:measures/blood_pressure/read@6m "
                   "--connect pesee-claire.")
@click.pass_obj
def prepare(console: Console, account: str, for_: str | None, connects: tuple[str, ...]) -> None:
    """Reset one patient's space (the others go on) and connect services for them.

    The patient's agents stop; their grants, exchanges and events and the services' tokens for
    them are forgotten; their data come back as seeded; then each --connect service goes
    through the real consent flow.
    """
    body = console.call("POST", "/prepare", {"account": account, "for": for_,
                                             "connections": [_connection(c) for c in connects]})
    forgotten, data = body["forgotten"], body["data"]
    kept = (f"données de départ remises ({data['resources']} ressources)" if data["reseeded"]
            else "données gardées telles quelles")
    lines = [f"Espace de {body['patient']} préparé ({body['account']}) : "
             f"{forgotten['grants']} autorisations et {forgotten['exchanges']} échanges "
             f"oubliés, {kept}."]
    lines += [f"  connecté : {c['service']['name']}" for c in body["connections"]]
    console.show(body, lines)


@admin.group()
def participants() -> None:
    """Accounts for workshop participants: copies of a persona."""


def _account_line(row: dict) -> str:
    line = f"{row['username']:<22} {row['name']:<16} mot de passe {row['password']}"
    if row["copy_of"]:
        line += f", copie de {row['copy_of']}"
    return line + "".join(f" ; représente {r['name']} ({r['for']})" for r in row["represents"])


@participants.command("add")
@click.argument("persona")
@click.option("--count", type=int, default=1, show_default=True,
              help="How many copies (at most 30 per call).")
@click.pass_obj
def participants_add(console: Console, persona: str, count: int) -> None:
    """Add COUNT accounts copying PERSONA (e.g. camille.martin): same story and kind of data,
    a patient and a test INS of their own."""
    body = console.call("POST", "/participants", {"persona": persona, "count": count})
    console.show(body, [f"{len(body['participants'])} comptes créés :",
                        *(f"  {_account_line(row)}" for row in body["participants"])])


@participants.command("list")
@click.pass_obj
def participants_list(console: Console) -> None:
    """List every account: the personas and their copies."""
    body = console.call("GET", "/participants")
    console.show(body, [_account_line(row) for row in body["participants"]])


@admin.command()
@click.pass_obj
def services(console: Console) -> None:
    """List the simulated services and what they do."""
    body = console.call("GET", "/services")
    console.show(body, [f"{s['id']:<24} {'(suspendu) ' if s['suspended'] else ''}"
                        f"{s['behaviour']}" for s in body["services"]])


@admin.command()
@click.argument("service")
@click.option("--patient", default=None, help="Username or patient id (default: all).")
@click.pass_obj
def act(console: Console, service: str, patient: str | None) -> None:
    """Make a service act now (each of its repeated actions once)."""
    body = console.call("POST", f"/services/{service}/act", {"patient": patient})
    console.show(body, _call_lines(body["runs"]))


@admin.command()
@click.argument("service")
@click.option("--kind", type=click.Choice(["outside_grant", "expired_token"]),
              default="outside_grant", show_default=True)
@click.option("--patient", default=None, help="Username or patient id (default: all).")
@click.pass_obj
def misbehave(console: Console, service: str, kind: str, patient: str | None) -> None:
    """Make a service misbehave (data outside its grant, or a stale token)."""
    body = console.call("POST", f"/services/{service}/misbehave",
                        {"kind": kind, "patient": patient})
    console.show(body, _call_lines(body["runs"]))


@admin.command()
@click.argument("service")
@click.pass_obj
def suspend(console: Console, service: str) -> None:
    """Suspend a service (the authority de-references it)."""
    body = console.call("POST", f"/services/{service}/suspend")
    console.show(body, [f"Service « {body['service']['name']} » suspendu ; patients prévenus : "
                        f"{len(body['patients_told'])}."])


@admin.command()
@click.argument("service")
@click.pass_obj
def reinstate(console: Console, service: str) -> None:
    """Lift a service's suspension."""
    body = console.call("POST", f"/services/{service}/reinstate")
    console.show(body, [f"Service « {body['service']['name']} » de nouveau référencé ; "
                        f"patients prévenus : {len(body['patients_told'])}."])


@admin.command("register-client")
@click.option("--name", required=True, help="Name shown to patients on the consent page.")
@click.option("--redirect-uri", "redirect_uris", multiple=True, required=True,
              help="Redirect URI; repeat for several.")
@click.option("--public", is_flag=True, help="A public client (no secret; PKCE only).")
@click.option("--scope", default=None, help="Widest scope the client may ask for.")
@click.pass_obj
def register_client(console: Console, name: str, redirect_uris: tuple[str, ...], public: bool,
                    scope: str | None) -> None:
    """Register an outside client on the running server; prints its JSON."""
    body = console.call("POST", "/clients", {
        "client_name": name, "redirect_uris": list(redirect_uris), "scope": scope,
        "token_endpoint_auth_method": "none" if public else "client_secret_basic"})
    click.echo(json.dumps(body, ensure_ascii=False, indent=2))


@admin.command()
@click.pass_obj
def connections(console: Console) -> None:
    """Who is connected: patients' apps and event streams, service agents."""
    body = console.call("GET", "/connections")
    lines = [f"Heure simulée : {_when(body['now'])}", "Patients :"]
    lines += [f"  {p['name']:<18} jetons d'appli {p['app_tokens']}, flux d'événements "
              f"{p['event_streams']}" for p in body["patients"]]
    lines.append("Services connectés :" if body["agents"] else "Aucun service connecté.")
    lines += [f"  {a['service']:<28} {a['patient']:<18} {a['status']:<9} requêtes "
              f"{a['requests']}, refusées {a['denied']}"
              + (f" — {a['stop_reason']}" if a["stop_reason"] else "") for a in body["agents"]]
    console.show(body, lines)
