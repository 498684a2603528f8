"""FHIR errors: every error under /fhir is an OperationOutcome with a French sentence.

Code raises `FhirError(status, issue_code, diagnostics)`; the interaction runner (and the
route-level exception handler for unknown paths and wrong methods) turns it into the response.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from mock_server.fhir.responses import dumps, fhir_response
from mock_server.fhir.supported import SERVED_TYPES


@dataclass(frozen=True)
class Issue:
    """One OperationOutcome issue: an IssueType code, a sentence, and where (FHIRPath) if known."""

    code: str
    diagnostics: str
    expression: str | None = None

    def as_json(self) -> dict:
        issue = {"severity": "error", "code": self.code, "diagnostics": self.diagnostics}
        if self.expression:
            issue["expression"] = [self.expression]
        return issue


class FhirError(Exception):
    """An error a FHIR client caused (or may see), answered as an OperationOutcome."""

    def __init__(
        self,
        status: int,
        code: str,
        diagnostics: str,
        *,
        headers: dict[str, str] | None = None,
        expression: str | None = None,
        issues: Sequence[Issue] = (),
    ) -> None:
        super().__init__(diagnostics)
        self.status = status
        self.code = code
        self.diagnostics = diagnostics
        self.headers = headers or {}
        self.issues = tuple(issues) or (Issue(code, diagnostics, expression),)


def operation_outcome(issues: Sequence[Issue]) -> dict:
    return {"resourceType": "OperationOutcome", "issue": [issue.as_json() for issue in issues]}


def error_response(error: FhirError) -> Response:
    return fhir_response(dumps(operation_outcome(error.issues)), error.status, error.headers)


def forbidden(diagnostics: str) -> FhirError:
    return FhirError(403, "forbidden", diagnostics)


def not_found(resource_type: str, resource_id: str) -> FhirError:
    # Same sentence whether the id does not exist or belongs to another patient: no existence leak.
    return FhirError(
        404, "not-found", f"La ressource {resource_type}/{resource_id[:64]} n'existe pas."
    )


def invalid(diagnostics: str, expression: str | None = None, code: str = "invalid") -> FhirError:
    """A resource that breaks a rule of this platform (422)."""
    return FhirError(422, code, diagnostics, expression=expression)


def bad_request(diagnostics: str, code: str = "invalid") -> FhirError:
    return FhirError(400, code, diagnostics)


def internal_error() -> FhirError:
    return FhirError(
        500, "exception", "Erreur interne du serveur : la requête n'a pas pu être traitée."
    )


def route_error(request: Request, status: int, headers: dict[str, str] | None) -> FhirError:
    """The OperationOutcome for a path or method no /fhir route answers."""
    if status == 405:
        return FhirError(
            405,
            "not-supported",
            f"La méthode {request.method} n'est pas prise en charge sur {request.url.path}.",
            headers=headers,
        )
    if status == 404:
        return FhirError(404, "not-found", _unknown_path(request.url.path))
    return FhirError(status, "processing", "La requête n'a pas pu être traitée.", headers=headers)


def _unknown_path(path: str) -> str:
    parts = [p for p in path.removeprefix("/fhir").split("/") if p]
    if parts and parts[0] not in SERVED_TYPES:
        served = ", ".join(sorted(SERVED_TYPES))
        return (
            f"Le type de ressource « {parts[0][:64]} » n'est pas servi par cette API "
            f"(types servis : {served})."
        )
    return f"Aucune ressource ni opération FHIR à l'adresse {path[:200]}."
