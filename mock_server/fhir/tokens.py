"""Token parameters (`code`, `category`, `type`, `status`): one meaning for searches and scopes.

A value is `system|code` (exact), `code` (any system), `system|` (any code of the system) or
`|code` (no system). The same parameter restricts a SMART scope
(`patient/Observation.rs?code=http://loinc.org|29463-7`) and filters a search, so both read it here:
as a SQL condition on the indexed columns, and as the set of values a stored row matches.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import ColumnElement, or_

from mock_server.reference import DOCUMENT_GROUP_SYSTEM
from mock_server.storage.schema import resources

Condition = ColumnElement[bool]


def like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def token_condition(column, value: str) -> Condition:
    """`column` (holding `system|code`) matches the token `value`."""
    system, sep, code = value.partition("|")
    if not sep:
        return column.like(f"%|{like_escape(value)}", escape="\\")
    if not code:
        return column.like(f"{like_escape(system)}|%", escape="\\")
    return column == value


def token_forms(token: str | None) -> list[str]:
    """Every token value that matches a stored `system|code` (exact, bare code, system only)."""
    if not token:
        return []
    system, _, code = token.partition("|")
    return [token, code, f"{system}|"]


def _document_category(value: str) -> Condition:
    """The XDS classCode token, or our group token `DOCUMENT_GROUP_SYSTEM|<group key>`."""
    system, sep, code = value.partition("|")
    class_code = token_condition(resources.c.category, value)
    if not sep:
        return or_(class_code, resources.c.subtype == value)
    if system != DOCUMENT_GROUP_SYSTEM:
        return class_code
    return or_(
        class_code, resources.c.subtype == code if code else resources.c.subtype.is_not(None)
    )


TOKEN_PARAMS: dict[str, dict[str, Callable[[str], Condition]]] = {
    "Observation": {
        "code": lambda v: token_condition(resources.c.code, v),
        "category": lambda v: token_condition(resources.c.category, v),
    },
    "DocumentReference": {
        "type": lambda v: token_condition(resources.c.code, v),
        "category": _document_category,
    },
    "Appointment": {
        "status": lambda v: resources.c.status == v,
    },
}
"""Resource type -> token parameter -> SQL condition for one value."""


def row_tokens(resource_type: str, row) -> dict[str, list[str]]:
    """The token values a stored row (or a `record_for` dict) matches, by parameter name."""
    get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
    if resource_type == "Observation":
        return {"code": token_forms(get("code")), "category": token_forms(get("category"))}
    if resource_type == "DocumentReference":
        group = get("subtype")
        groups = token_forms(f"{DOCUMENT_GROUP_SYSTEM}|{group}") if group else []
        return {"type": token_forms(get("code")), "category": token_forms(get("category")) + groups}
    if resource_type == "Appointment":
        return {"status": [get("status")] if get("status") else []}
    return {}
