"""Reading a YAML data file so that every error names its file and line.

The file is composed into YAML nodes (which carry their position), turned into plain Python data,
and each path inside the data (`("services", "pesee-claire", "actions", 0, "at")`) is mapped to
the line it was written on. Validation errors (pydantic `loc`) are then placed on the deepest line
known for their path. Only the safe YAML subset is read (no tags, no objects).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import yaml
from pydantic import ValidationError
from pydantic_core import PydanticCustomError

Loc = tuple[int | str, ...]

_MESSAGES = {
    "missing": "champ obligatoire absent",
    "extra_forbidden": "champ inconnu (faute de frappe ?)",
    "string_type": "doit être une chaîne de caractères",
    "bool_type": "doit valoir true ou false",
    "bool_parsing": "doit valoir true ou false",
    "int_type": "doit être un nombre entier",
    "int_parsing": "doit être un nombre entier",
    "list_type": "doit être une liste",
    "tuple_type": "doit être une liste",
    "dict_type": "doit être un dictionnaire (clé : valeur)",
    "model_type": "doit être un dictionnaire (clé : valeur)",
    "greater_than_equal": "doit être au moins {ge}",
    "less_than_equal": "doit être au plus {le}",
}


class DataFileError(Exception):
    """A data file that cannot be used; `problems` has one French line per fault."""

    def __init__(self, what: str, path: Path, problems: Sequence[str]) -> None:
        self.path = path
        self.problems = list(problems)
        lines = "\n".join(f"- {problem}" for problem in self.problems)
        super().__init__(f"{what} invalide ({path}) :\n{lines}")


@dataclass
class YamlSource:
    """Plain data read from a YAML file, with the line of every path in it."""

    path: Path
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)

    def line_of(self, loc: Loc) -> int:
        """The line of `loc`, or of its deepest parent written in the file (1-based)."""
        for end in range(len(loc), -1, -1):
            line = self.lines.get(tuple(loc[:end]))
            if line is not None:
                return line
        return 1

    def problem(self, loc: Loc, reason: str) -> str:
        """« <file>, ligne <n> : <place> : <reason> »."""
        place = dotted(loc)
        where = f"{self.path}, ligne {self.line_of(loc)}"
        return f"{where} : {place} : {reason}" if place else f"{where} : {reason}"

    def validation_problems(self, error: ValidationError) -> list[str]:
        """One line per pydantic error, placed in the file."""
        return [self.problem(tuple(err["loc"]), _reason(err)) for err in error.errors()]


def read_yaml(path: Path, what: str) -> YamlSource:
    """Compose `path` (UTF-8 YAML) into data and lines; `DataFileError` naming the line at fault."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError(what, path, [f"{path} : fichier introuvable"]) from None
    except UnicodeDecodeError:
        raise DataFileError(what, path, [f"{path} : le fichier n'est pas encodé en UTF-8"]
                            ) from None
    except OSError as exc:
        raise DataFileError(what, path, [f"{path} : lecture impossible ({exc.strerror})"]) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        raise DataFileError(what, path, [f"{path}, ligne {line} : YAML invalide ({exc.problem})"]
                            ) from None
    if node is None:
        raise DataFileError(what, path, [f"{path}, ligne 1 : le fichier est vide"])
    source = YamlSource(path, None)
    try:
        source.data = _Converter(source).plain(node, ())
    except _KeyProblem as problem:
        raise DataFileError(what, path, [str(problem)]) from None
    return source


class _KeyProblem(Exception):
    """A mapping key the data cannot have (repeated, or not a word or number)."""


class _Converter:
    """Turns composed nodes into plain data, recording each path's line on the source."""

    def __init__(self, source: YamlSource) -> None:
        self.source = source
        self.scalars = yaml.SafeLoader("")

    def plain(self, node: yaml.Node, loc: Loc) -> Any:
        self.source.lines[loc] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc)
        if isinstance(node, yaml.SequenceNode):
            return [self.plain(item, (*loc, index)) for index, item in enumerate(node.value)]
        return self.scalars.construct_object(node)

    def _mapping(self, node: yaml.MappingNode, loc: Loc) -> dict:
        out: dict = {}
        for key_node, value_node in node.value:
            line = f"{self.source.path}, ligne {key_node.start_mark.line + 1}"
            key = (self.scalars.construct_object(key_node)
                   if isinstance(key_node, yaml.ScalarNode) else None)
            if not isinstance(key, str | int) or isinstance(key, bool):
                raise _KeyProblem(f"{line} : clé invalide : une clé est un mot ou un nombre")
            if key in out:
                raise _KeyProblem(f"{line} : {dotted((*loc, key))} : la clé « {key} » figure "
                                  "deux fois")
            out[key] = self.plain(value_node, (*loc, key))
        return out


def dotted(loc: Loc) -> str:
    """`services.pesee-claire.actions[0].at`."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


def _reason(error: dict) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "data_file":
        return error["msg"]
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return f"valeur « {error['input']} » inconnue ; valeurs possibles : {expected}"
    template = _MESSAGES.get(kind)
    return template.format(**ctx) if template else f"{error['msg']} ({kind})"


def fail(detail: str) -> NoReturn:
    """Reject the value being validated with a French sentence (kept verbatim in the error)."""
    raise PydanticCustomError("data_file", "{detail}", {"detail": detail})
