"""The HTML of the authorization pages (templates in `templates/`, every value escaped).

Plain HTML and CSS, no script: usable in any browser and by a script that posts the forms
(DESIGN §11). Every page refuses to be framed and is never cached.
"""

from __future__ import annotations

from functools import cache
from html import escape
from importlib import resources
from string import Template

from starlette.responses import HTMLResponse

from mock_server.consent.step import ServiceSummary
from mock_server.oauth.authorize import DEFAULT_DURATION, DURATIONS, Failure, PatientChoice, Step
from mock_server.oauth.wording import Permission

PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
    "Pragma": "no-cache",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}

ACCESS_WORDS = {"read": "lecture", "write": "écriture", "read-write": "lecture et écriture"}

_TITLES = {"login": "Connexion", "choose_patient": "Pour qui agissez-vous ?",
           "consent": "Autoriser un service"}


@cache
def _template(name: str) -> Template:
    text = resources.files(__package__).joinpath("templates", name).read_text(encoding="utf-8")
    return Template(text)


def _page(title: str, body: str, status: int) -> HTMLResponse:
    html = _template("page.html").substitute(title=escape(title), body=body)
    return HTMLResponse(html, status_code=status, headers=PAGE_HEADERS)


def _message(text: str | None) -> str:
    return f'<p class="erreur" role="alert">{escape(text)}</p>' if text else ""


def render_step(step: Step) -> HTMLResponse:
    """The page of one step of the authorization flow."""
    common = {"client_name": escape(step.client.name), "csrf": escape(step.csrf),
              "message": _message(step.message)}
    if step.name == "login":
        body = _template("login.html").substitute(common)
    elif step.name == "choose_patient":
        body = _template("choose_patient.html").substitute(common, options=_patient_options(step))
    else:
        body = _template("consent.html").substitute(
            common,
            whose=_whose(step.acting_for),
            service=_service(step.service),
            maille_note=_maille_note(step),
            permissions=_permission_boxes(step),
            durations=_duration_options(),
            scopes="\n".join(f"    <li><code>{escape(p.scope)}</code></li>"
                             for p in step.permissions),
        )
    return _page(_TITLES[step.name], body, step.status)


def render_failure(failure: Failure) -> HTMLResponse:
    """An error page: what went wrong, in French; nothing is sent back to the client."""
    body = _template("error.html").substitute(
        title="Demande refusée" if failure.status == 403 else "Demande d'autorisation invalide",
        message=escape(failure.message),
        error=escape(failure.error),
    )
    return _page("Erreur", body, failure.status)


def _patient_options(step: Step) -> str:
    lines = []
    for index, choice in enumerate(step.patients):
        label = f"Moi-même ({choice.name})" if choice.is_self else choice.name
        checked = " checked" if index == 0 else ""
        lines.append(
            f'    <div class="choix"><input type="radio" id="patient-{index}" name="patient_id" '
            f'value="{escape(choice.patient_id)}"{checked}>'
            f'<label for="patient-{index}">{escape(label)}</label></div>'
        )
    return "\n".join(lines)


def _whose(acting_for: PatientChoice | None) -> str:
    if acting_for is None:
        return "à vos données de santé"
    return f"aux données de santé de {escape(acting_for.name)}"


def _service(service: ServiceSummary | None) -> str:
    """Who asks, from the store sheet: editor, health-data host, purposes."""
    if service is None:
        return ""
    hds = "oui" if service.hds_certified else "non"
    purposes = "\n".join(f"    <li>{escape(p)}</li>" for p in service.purposes)
    return (
        '<section class="service" aria-label="Le service">\n'
        f"  <p><strong>Éditeur :</strong> {escape(service.editor)} "
        f"({escape(service.editor_country)})</p>\n"
        f"  <p><strong>Hébergement des données :</strong> {escape(service.host)} "
        f"({escape(service.host_country)}) ; certification HDS : {hds}</p>\n"
        f"  <p><strong>Finalités :</strong></p>\n  <ul>\n{purposes}\n  </ul>\n"
        f'  <p><a href="{escape(service.privacy_policy_url)}">Politique de confidentialité</a>'
        "</p>\n</section>"
    )


def _maille_note(step: Step) -> str:
    if step.maille != "categorie":
        return ""
    return ('    <p class="aide">Chaque catégorie s\'accepte ou se refuse en entier : cochez '
            "toutes ses cases ou aucune.</p>")


def _permission_boxes(step: Step) -> str:
    by_scope = {p.scope: (index, p) for index, p in enumerate(step.permissions)}
    if not step.groups:
        return "\n".join(_box(index, p) for index, p in by_scope.values())
    blocks = []
    for group in step.groups:
        boxes = "\n".join(_box(*by_scope[scope]) for scope in group.scopes)
        blocks.append(f'    <fieldset class="groupe">\n    <legend>{escape(group.label)}</legend>\n'
                      f"{boxes}\n    </fieldset>")
    return "\n".join(blocks)


def _box(index: int, permission: Permission) -> str:
    reason = (f'<span class="raison">Pourquoi : {escape(permission.reason)}</span>'
              if permission.reason else "")
    return (
        f'    <div class="choix"><input type="checkbox" id="scope-{index}" name="scope" '
        f'value="{escape(permission.scope)}">'
        f'<label for="scope-{index}">{escape(permission.sentence)} '
        f'<span class="acces">({ACCESS_WORDS[permission.access]})</span>{reason}</label></div>'
    )


def _duration_options() -> str:
    return "\n".join(
        f'      <option value="{value}"{" selected" if value == DEFAULT_DURATION else ""}>'
        f"{escape(label)}</option>"
        for value, label in DURATIONS.items()
    )
