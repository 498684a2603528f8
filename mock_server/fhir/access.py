"""Authorization of FHIR interactions: the ONE place that decides what a token may do.

Today effective access is the token's SMART scopes; the patient's consent grants plug in here
(effective access = token scope ∩ grant, DESIGN §5). Interactions are the SMART letters
`c r u d s`; write never implies read. The patient compartment (another patient's data is 404,
never 403) is enforced by the callers' queries, not here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import and_, false, or_

from mock_server.fhir.errors import FhirError, forbidden
from mock_server.fhir.supported import PATIENT_ONLY_TYPES
from mock_server.fhir.tokens import TOKEN_PARAMS, Condition
from mock_server.oauth.tokens import AccessToken
from mock_server.scopes import ResourceScope, ScopeSet

_VERBS = {"c": "créer", "r": "lire", "u": "modifier", "d": "supprimer", "s": "rechercher"}


@dataclass(frozen=True)
class AccessContext:
    """Who is calling: the token, its patient, its client and its parsed scopes."""

    token: AccessToken
    scopes: ScopeSet

    @property
    def patient_id(self) -> str:
        return self.token.patient_id

    @property
    def client_id(self) -> str:
        return self.token.client_id


def _consent_missing(resource_type: str, interaction: str, detail: str = "") -> FhirError:
    # The real API answers "Consent not given"; the sentence also says which right is missing.
    sentence = (
        f"Consentement non donné : le patient n'a pas autorisé cette application à "
        f"{_VERBS[interaction]} les ressources {resource_type}{detail}."
    )
    return forbidden(sentence)


def authorize(
    ctx: AccessContext,
    resource_type: str,
    interaction: str,
    tokens: Mapping[str, Sequence[str]] | None = None,
) -> None:
    """Raise 403 unless `ctx` may do `interaction` on `resource_type`.

    Without `tokens` only the type is checked (a scope restricted by `?param=` still counts);
    with the resource's `tokens` (see `mock_server.fhir.tokens.row_tokens`), the restrictions too.
    """
    if interaction in ("c", "u", "d") and resource_type in PATIENT_ONLY_TYPES:
        raise forbidden(
            f"Les ressources {resource_type} ne peuvent être modifiées que par le patient, dans "
            "Mon espace santé : aucune application ne peut les écrire."
        )
    if not ctx.scopes.allows_type(resource_type, interaction):
        raise _consent_missing(resource_type, interaction)
    if tokens is not None and not ctx.scopes.permits(resource_type, interaction, tokens):
        raise _consent_missing(resource_type, interaction, " de ce type ou de cette catégorie")


def authorize_binary_type(ctx: AccessContext) -> None:
    """Binaries are readable with a Binary read scope or a DocumentReference read scope."""
    if not ctx.scopes.allows_type("Binary", "r"):
        authorize(ctx, "DocumentReference", "r")


def authorize_binary(
    ctx: AccessContext, document_tokens: Mapping[str, Sequence[str]] | None
) -> None:
    """Reading one Binary: allowed by an unrestricted Binary read scope, or by read access to the
    document that holds it (`document_tokens`; None when no DocumentReference points at it)."""
    if ctx.scopes.is_unrestricted("Binary", "r") or document_tokens is None:
        authorize(ctx, "Binary", "r")
        return
    authorize(ctx, "DocumentReference", "r", document_tokens)


def _scope_condition(resource_type: str, scope: ResourceScope) -> Condition:
    builders = TOKEN_PARAMS.get(resource_type, {})
    if any(name not in builders for name, _ in scope.params):
        return false()  # a restriction this server cannot evaluate grants nothing
    return and_(*(builders[name](value) for name, value in scope.params))


def search_constraint(ctx: AccessContext, resource_type: str) -> Condition | None:
    """The SQL filter a search must add for the token's restricted scopes (None = no filter).

    Raises 403 when no scope allows searching the type at all.
    """
    authorize(ctx, resource_type, "s")
    applicable = ctx.scopes.applicable(resource_type, "s")
    if any(not scope.params for scope in applicable):
        return None
    return or_(*(_scope_condition(resource_type, scope) for scope in applicable))
