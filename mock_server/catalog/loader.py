"""Read and validate the catalogue file once; a broken file is a startup error, never a default.

Every problem is reported on its own line naming the file, the service (id and position) and the
field at fault, in French, so whoever edits `services.json` can fix it without reading code.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from mock_server.catalog.models import Catalog, where

DEFAULT_CATALOG_PATH = Path(__file__).with_name("services.json")
"""The catalogue shipped with the package."""

_MESSAGES = {
    "missing": "champ obligatoire absent",
    "extra_forbidden": "champ inconnu (faute de frappe ?)",
    "string_type": "doit être une chaîne de caractères",
    "string_too_short": "ne doit pas être vide",
    "string_too_long": "trop long : {max_length} caractères au plus",
    "bool_type": "doit valoir true ou false",
    "list_type": "doit être une liste",
    "tuple_type": "doit être une liste",
    "model_type": "doit être un objet JSON",
    "model_attributes_type": "doit être un objet JSON",
    "dict_type": "doit être un objet JSON",
    "date_type": "doit être une date ISO AAAA-MM-JJ",
    "date_parsing": "doit être une date ISO AAAA-MM-JJ",
    "date_from_datetime_parsing": "doit être une date ISO AAAA-MM-JJ",
    "date_from_datetime_inexact": "doit être une date ISO AAAA-MM-JJ, sans heure",
}


class CatalogError(Exception):
    """The catalogue file cannot be used; `problems` has one French line per fault."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        lines = "\n".join(f"- {path} : {problem}" for problem in problems)
        super().__init__(f"Catalogue de services invalide ({path}) :\n{lines}")


def load_catalog(path: str | Path | None = None) -> Catalog:
    """The validated catalogue at `path` (default: the shipped one), read once per path."""
    return _load(Path(path or DEFAULT_CATALOG_PATH).resolve())


@cache
def _load(path: Path) -> Catalog:
    data = _read_json(path)
    try:
        return Catalog.model_validate(data)
    except ValidationError as exc:
        raise CatalogError(path, [_describe(error, data) for error in exc.errors()]) from None


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CatalogError(path, ["fichier introuvable"]) from None
    except UnicodeDecodeError:
        raise CatalogError(path, ["le fichier n'est pas encodé en UTF-8"]) from None
    except json.JSONDecodeError as exc:
        raise CatalogError(path, [f"JSON invalide ligne {exc.lineno}, colonne {exc.colno} "
                                  f"({exc.msg})"]) from None
    except OSError as exc:
        raise CatalogError(path, [f"lecture impossible ({exc.strerror})"]) from None


def _describe(error: ErrorDetails, data: Any) -> str:
    """'<place> : <French reason>' for one pydantic error."""
    loc, reason = tuple(error["loc"]), _reason(error).rstrip(".")
    if not loc and error["type"] == "catalogue":
        return reason  # whole-catalogue checks name their own service and field
    return f"{_place(loc, data)} : {reason}"


def _place(loc: tuple[int | str, ...], data: Any) -> str:
    if len(loc) >= 2 and loc[0] == "services" and isinstance(loc[1], int):
        return where(loc[1], _raw_service_id(data, loc[1]), _dotted(loc[2:]) or "(fiche entière)")
    if loc:
        return f"champ « {_dotted(loc)} »"
    return "catalogue"


def _raw_service_id(data: Any, index: int) -> str | None:
    """The id written in the file for the service at `index`, even if the sheet is invalid."""
    try:
        service_id = data["services"][index]["id"]
    except (KeyError, IndexError, TypeError):
        return None
    return service_id if isinstance(service_id, str) and service_id else None


def _dotted(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


def _reason(error: ErrorDetails) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "catalogue":
        return error["msg"]
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return f"valeur « {error['input']} » inconnue ; valeurs possibles : {expected}"
    template = _MESSAGES.get(kind)
    return template.format(**ctx) if template else f"{error['msg']} ({kind})"
