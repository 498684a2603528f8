"""JSON problem responses (RFC 9457) for every non-FHIR route."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse


class Problem(Exception):
    """An error a client caused, with a sentence a person understands."""

    def __init__(
        self, status: int, title: str, detail: str, headers: dict | None = None
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail
        self.headers = headers or {}


def problem_response(
    status: int, title: str, detail: str, headers: dict | None = None
) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    return JSONResponse(
        body, status_code=status, headers=headers, media_type="application/problem+json"
    )


async def handle_problem(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Problem)
    return problem_response(exc.status, exc.title, exc.detail, exc.headers)
