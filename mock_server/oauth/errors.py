"""French texts for OAuth errors, and their ASCII form for the wire.

RFC 6749 §5.2 allows only printable ASCII without `"` and `\\` in `error_description` (authlib
enforces it), so JSON and redirect errors carry the French sentence with its accents removed;
HTML pages and the JSON variant of the authorization pages show the sentence as written.
Errors raised by this package carry their sentence (`oauth_error`); errors raised inside authlib
carry English, translated here by their exact text or, failing that, by their error code.
"""

from __future__ import annotations

import unicodedata

from authlib.oauth2 import OAuth2Error

_PUNCTUATION = str.maketrans({
    "«": "'", "»": "'", "“": "'", "”": "'", '"': "'", "’": "'", "‘": "'", "\\": "/",
    "\u00a0": " ", "\u202f": " ", "…": "...", "œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE",
})

_AUTHLIB_TEXTS = {
    "Missing 'client_id' parameter.": "Le paramètre client_id est manquant.",
    "The client does not exist on this server.": "Ce client (client_id) n'est pas enregistré ici.",
    "Missing 'code' in request.": "Le paramètre code est manquant.",
    "Invalid 'code' in request.": (
        "Le code d'autorisation est inconnu, expiré, déjà utilisé ou émis pour un autre client."
    ),
    "Invalid 'redirect_uri' in request.": (
        "Le paramètre redirect_uri diffère de celui de la demande d'autorisation."
    ),
    "Missing 'refresh_token' in request.": "Le paramètre refresh_token est manquant.",
    "There is no 'user' for this code.": "Le compte lié à cette autorisation n'existe plus.",
    "There is no 'user' for this token.": "Le compte lié à cette autorisation n'existe plus.",
    "Replay attack": "Ce nonce a déjà servi pour ce client : choisissez-en un nouveau.",
    "Invalid 'prompt' parameter.": (
        "Le paramètre prompt est invalide : « none » se suffit à lui-même."
    ),
}

_AUTHLIB_PREFIXES = {
    "The client cannot authenticate with methods": (
        "Authentification du client refusée : identifiant ou secret incorrect, ou méthode "
        "d'authentification non enregistrée pour ce client."
    ),
    "The client is not authorized to use": (
        "Ce client n'est pas autorisé à utiliser ce type de demande."
    ),
}

_BY_CODE = {
    "invalid_request": "La requête est incomplète ou mal formée.",
    "invalid_client": "Authentification du client refusée.",
    "invalid_grant": (
        "L'autorisation présentée (code ou jeton de rafraîchissement) est invalide, expirée, "
        "révoquée ou émise pour un autre client."
    ),
    "unauthorized_client": "Ce client n'est pas autorisé à utiliser ce type de demande.",
    "unsupported_grant_type": (
        "Type de demande (grant_type) non pris en charge : seuls authorization_code et "
        "refresh_token le sont."
    ),
    "unsupported_response_type": (
        "Seul response_type=code est pris en charge (code d'autorisation avec PKCE)."
    ),
    "invalid_scope": "La portée demandée est invalide, inconnue ou plus large que celle accordée.",
    "access_denied": "Le patient a refusé l'accès.",
    "unsupported_token_type": "Type de jeton non pris en charge (token_type_hint).",
    "invalid_token": "Jeton d'accès absent, invalide, expiré ou révoqué.",
    "missing_authorization": "L'en-tête Authorization est manquant.",
    "insufficient_scope": "Ce jeton n'a pas la portée nécessaire (openid).",
    "login_required": "Le patient doit se connecter : prompt=none est impossible ici.",
    "insecure_transport": (
        "OAuth 2 exige HTTPS, sauf sur l'interface locale (localhost, 127.0.0.1) : servez la "
        "plateforme en HTTPS ou définissez AUTHLIB_INSECURE_TRANSPORT=1 pour un atelier."
    ),
    "invalid_client_metadata": "Les métadonnées du client sont invalides.",
    "invalid_redirect_uri": "Une adresse de redirection (redirect_uri) est invalide.",
}


def oauth_error(error_class: type[OAuth2Error], message: str, **kwargs) -> OAuth2Error:
    """An authlib error carrying a French sentence (its ASCII form goes on the wire)."""
    error = error_class(description=ascii_text(message), **kwargs)
    error.french = message
    return error


def french_description(error: OAuth2Error) -> str:
    """The French sentence for `error`, whoever raised it."""
    own = getattr(error, "french", None)
    if own:
        return own
    text = error.description or ""
    if text in _AUTHLIB_TEXTS:
        return _AUTHLIB_TEXTS[text]
    for prefix, sentence in _AUTHLIB_PREFIXES.items():
        if text.startswith(prefix):
            return sentence
    return _BY_CODE.get(error.error, "La demande OAuth a échoué.")


def frenchify(error: OAuth2Error) -> OAuth2Error:
    """Put the ASCII form of the French sentence in `error.description` (before rendering)."""
    error.description = ascii_text(french_description(error))
    return error


def ascii_text(message: str) -> str:
    """`message` without accents, in the character set RFC 6749 allows for descriptions."""
    unquoted = message.replace("« ", "«").replace(" »", "»")  # French spacing inside quotes
    decomposed = unicodedata.normalize("NFKD", unquoted.translate(_PUNCTUATION))
    kept = (c for c in decomposed if not unicodedata.combining(c))
    return "".join(c for c in kept if " " <= c <= "~" and c not in '"\\')
