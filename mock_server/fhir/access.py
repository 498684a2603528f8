"""Authorization of FHIR interactions: the ONE place that decides what a token may do.

Effective access = the token's SMART scopes ∩ the patient's grant to the token's client as it is
now (DESIGN §5): for services and outside clients, after the scope check, the grant read for this
request (`AccessContext.consent`) must be active and cover the data class, subtype and access,
and a read must respect its finer rules (earlier data, excluded documents, date window). The
patient's own app has no grant. Interactions are the SMART letters `c r u d s`; write never
implies read. The patient compartment (another patient's data is 404, never 403) is enforced by
the callers' queries, not here.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, false, or_

from mock_server.catalog.models import ALL
from mock_server.consent.enforcement import ConsentState, Item
from mock_server.consent.permissions import ACCESS_OF_LETTER, data_class_of
from mock_server.fhir.errors import FhirError, forbidden
from mock_server.fhir.supported import PATIENT_ONLY_TYPES
from mock_server.fhir.tokens import TOKEN_PARAMS, Condition, row_tokens
from mock_server.oauth.tokens import AccessToken
from mock_server.reference import (
    DOCUMENT_GROUP_SYSTEM,
    LOINC,
    OBSERVATION_CATEGORY_SYSTEM,
    measure_by_loinc,
)
from mock_server.scopes import ResourceScope, ScopeSet

_VERBS = {"c": "créer", "r": "lire", "u": "modifier", "d": "supprimer", "s": "rechercher"}


@dataclass(frozen=True)
class AccessContext:
    """Who is calling: the token, its patient, its client and its parsed scopes."""

    token: AccessToken
    scopes: ScopeSet
    consent: ConsentState | None = None
    """The client's kind and the patient's grant to it, read for this request."""

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


def authorize(ctx: AccessContext, resource_type: str, interaction: str, row=None) -> None:
    """Raise 403 unless `ctx` may do `interaction` on `resource_type`.

    Without `row` only the type is checked (a scope restricted by `?param=` still counts, and
    the grant needs some permission on the type's data class); with the resource's stored row
    (or `record_for` dict), its restrictions, subtype, id and date too.
    """
    if interaction in ("c", "u", "d") and resource_type in PATIENT_ONLY_TYPES:
        raise forbidden(
            f"Les ressources {resource_type} ne peuvent être modifiées que par le patient, dans "
            "Mon espace santé : aucune application ne peut les écrire."
        )
    if resource_type in PATIENT_ONLY_TYPES and not _is_patient_app(ctx):
        raise forbidden(
            f"Les ressources {resource_type} ne sont lisibles que par l'application Mon espace "
            "santé du patient ; un service tiers n'y a pas accès."
        )
    _check_scopes(ctx, resource_type, interaction, row)
    _check_consent(ctx, resource_type, interaction, row)


def _is_patient_app(ctx: AccessContext) -> bool:
    return ctx.consent is not None and ctx.consent.client_kind == "app"


def _check_scopes(ctx: AccessContext, resource_type: str, interaction: str, row=None) -> None:
    if not ctx.scopes.allows_type(resource_type, interaction):
        raise _consent_missing(resource_type, interaction)
    if row is not None and not ctx.scopes.permits(
        resource_type, interaction, row_tokens(resource_type, row)
    ):
        raise _consent_missing(resource_type, interaction, " de ce type ou de cette catégorie")


def _field(row, name: str):
    return row[name] if isinstance(row, dict) else getattr(row, name)


def _check_consent(
    ctx: AccessContext, resource_type: str, interaction: str, row=None, subtype: str | None = None
) -> None:
    """The grant's part of the decision (services and outside clients only).

    `row` gives the subtype (measure or document group; the agenda is whole), id and date;
    without it, `subtype` None means "some permission on the data class".
    """
    consent = ctx.consent
    if consent is None or not consent.applies:
        return
    data_class = data_class_of(resource_type)
    item = None
    if row is not None and data_class is not None:
        subtype = ALL if data_class == "agenda" else _field(row, "subtype") or ALL
        item = Item(_field(row, "id"), _field(row, "effective"))
    reason = consent.refusal(data_class, ACCESS_OF_LETTER[interaction], subtype, item)
    if reason:
        raise forbidden(reason)


def authorize_binary_type(ctx: AccessContext) -> None:
    """Binaries are readable with a Binary read scope or a DocumentReference read scope."""
    if not ctx.scopes.allows_type("Binary", "r"):
        authorize(ctx, "DocumentReference", "r")


def authorize_binary(ctx: AccessContext, document=None) -> None:
    """Reading one Binary: allowed by an unrestricted Binary read scope, or by read access to the
    `document` row that holds it (None when no DocumentReference points at it). The grant judges
    it as that document (a Binary outside any document needs every document)."""
    if document is None:
        authorize(ctx, "Binary", "r")
        _check_consent(ctx, "Binary", "r", subtype=ALL)
        return
    if ctx.scopes.is_unrestricted("Binary", "r"):
        _check_scopes(ctx, "Binary", "r")
    else:
        _check_scopes(ctx, "DocumentReference", "r", document)
    _check_consent(ctx, "Binary", "r", document)


VITAL_SIGNS = f"{OBSERVATION_CATEGORY_SYSTEM}|vital-signs"


def _target_rows(resource_type: str, kept: list[tuple[str, str]]) -> list[dict]:
    """The measures or document groups a search names explicitly (`code=` on Observation, a
    group `category=` on DocumentReference), as minimal rows; [] when it names none."""
    rows = []
    for name, raw in kept:
        for value in raw.split(","):
            system, _, code = value.rpartition("|")
            if resource_type == "Observation" and name == "code" and system in ("", LOINC):
                measure = measure_by_loinc().get(code)
                if measure is None:
                    return []  # a code outside the 10 measures: the search simply finds nothing
                rows.append({"code": f"{LOINC}|{code}", "category": VITAL_SIGNS,
                             "subtype": measure.key})
            elif (resource_type == "DocumentReference" and name == "category"
                  and system == DOCUMENT_GROUP_SYSTEM):
                rows.append({"code": None, "category": None, "subtype": code})
    return rows


def authorize_search_target(
    ctx: AccessContext, resource_type: str, kept: list[tuple[str, str]]
) -> None:
    """A search aimed only at data the token may not see (e.g. glucose for a service granted
    weight) is refused with 403, as a read would be; a search that names some permitted data,
    or none in particular, is answered with the permitted items only."""
    targets = _target_rows(resource_type, kept)
    if not targets:
        return
    refusal: FhirError | None = None
    for row in targets:
        try:
            _check_scopes(ctx, resource_type, "s", row)
            _check_consent(ctx, resource_type, "s", subtype=row["subtype"])
            return
        except FhirError as error:
            refusal = error
    assert refusal is not None
    raise refusal


def _scope_condition(resource_type: str, scope: ResourceScope) -> Condition:
    builders = TOKEN_PARAMS.get(resource_type, {})
    if any(name not in builders for name, _ in scope.params):
        return false()  # a restriction this server cannot evaluate grants nothing
    return and_(*(builders[name](value) for name, value in scope.params))


def search_constraint(ctx: AccessContext, resource_type: str) -> Condition | None:
    """The SQL filter a search must add for the token's restricted scopes and the grant's rules
    (None = no filter), so that `total` and paging count only permitted items.

    Raises 403 when no scope (or no grant permission) allows searching the type at all.
    """
    authorize(ctx, resource_type, "s")
    applicable = ctx.scopes.applicable(resource_type, "s")
    filters = []
    if not any(not scope.params for scope in applicable):
        filters.append(or_(*(_scope_condition(resource_type, scope) for scope in applicable)))
    data_class = data_class_of(resource_type)
    if ctx.consent is not None and data_class is not None:
        granted = ctx.consent.search_filter(data_class)
        if granted is not None:
            filters.append(granted)
    return and_(*filters) if filters else None
