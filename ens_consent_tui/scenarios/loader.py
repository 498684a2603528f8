"""Reading a scenario file: YAML (safe subset) → `Scenario`, every fault named with its file,
line and place, in the reader's language.

The text is composed into YAML nodes (which carry their line), turned into plain data while the
line of every path is recorded, then validated by the models of `model.py`. A validation error's
`loc` is turned back into the path as written in the file (the action or expectation key the
models use to tell kinds apart is dropped where the file has no such level), so the line is the
one the person wrote. All faults of a file are collected, not just the first.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from ens_consent_tui.i18n import DEFAULT_LANGUAGE, Catalogue
from ens_consent_tui.scenarios.model import (
    ACTIONS,
    EXPECTATIONS,
    FORMAT_VERSION,
    Scenario,
    ServiceStart,
    Start,
    Step,
)

Loc = tuple[int | str, ...]
_NESTED_EXPECTATIONS = frozenset({"grant", "exchange", "no_exchange"})
"""Expectations written `{kind: {field: ...}}`: their key is a level of the file."""


@dataclass(frozen=True)
class Problem:
    """One fault: the line it is on (`None` for the whole file), where in the scenario
    (`steps[2].do`, empty for the file itself), and what is wrong, in words."""

    line: int | None
    where: str
    message: str


def problem_line(path: str, problem: Problem, t: Catalogue) -> str:
    """`scenarios/x.yaml, ligne 12 : steps[2].do : ...` (parts left out when unknown)."""
    place = t("scenario.problem.at_line", path=path, line=problem.line) \
        if problem.line is not None else path
    if problem.where:
        return t("scenario.problem.where", place=place, where=problem.where,
                 message=problem.message)
    return t("scenario.problem.plain", place=place, message=problem.message)


class ScenarioError(Exception):
    """A scenario file that cannot be used: all its `problems`, each placed in the file."""

    def __init__(self, path: str | Path, problems: list[Problem],
                 lang: str = DEFAULT_LANGUAGE) -> None:
        self.path = str(path)
        self.problems = problems
        self.lang = lang
        super().__init__(str(self))

    def lines(self, t: Catalogue | None = None) -> list[str]:
        """One line per problem, in `t`'s language (the loader's by default)."""
        t = t or Catalogue(self.lang)
        return [problem_line(self.path, problem, t) for problem in self.problems]

    def __str__(self) -> str:
        return "\n".join(self.lines())


def scenario_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files named, a directory standing for its `*.yaml` (sorted); a directory without
    any stays as it is, so that loading it says what is wrong."""
    found: list[Path] = []
    for path in map(Path, paths):
        inside = sorted(path.glob("*.yaml")) if path.is_dir() else []
        found.extend(inside or [path])
    return found


def load_scenario(path: str | Path, lang: str = DEFAULT_LANGUAGE) -> Scenario:
    """The scenario in the file at `path`; `ScenarioError` listing every fault otherwise."""
    t = Catalogue(lang)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise _refused(path, lang, None, "", t("scenario.error.file_missing")) from None
    except IsADirectoryError:
        raise _refused(path, lang, None, "", t("scenario.error.file_directory")) from None
    except UnicodeDecodeError:
        raise _refused(path, lang, None, "", t("scenario.error.file_encoding")) from None
    except OSError as error:
        raise _refused(path, lang, None, "", t("scenario.error.file_unreadable",
                                                 reason=error.strerror)) from None
    return load_text(text, path, lang)


def load_text(text: str, path: str | Path = "<scenario>", lang: str = DEFAULT_LANGUAGE
              ) -> Scenario:
    """The scenario `text` holds (`path` names it in messages)."""
    t = Catalogue(lang)
    source = _compose(text, path, lang, t)
    problems = list(source.problems)
    problems += _stray_lines(source, t)
    try:
        scenario = Scenario.model_validate(source.data)
    except ValidationError as error:
        problems += [_problem(source, detail, t) for detail in _meaningful(error.errors())]
        scenario = None
    if problems:
        raise ScenarioError(path, sorted(problems, key=_order), lang)
    assert scenario is not None
    return _with_lines(scenario, source)


def _meaningful(details: list[Any]) -> list[Any]:
    """Without a list's "too short" when its items have faults of their own (a list of one bad
    step is not also a list of no steps)."""
    def inside(detail: Any) -> bool:
        loc = tuple(detail["loc"])
        return any(tuple(other["loc"])[:len(loc)] == loc and len(other["loc"]) > len(loc)
                   for other in details)
    return [d for d in details if not (d["type"] == "too_short" and inside(d))]


def _refused(path: str | Path, lang: str, line: int | None, where: str, message: str
             ) -> ScenarioError:
    return ScenarioError(path, [Problem(line, where, message)], lang)


def _order(problem: Problem) -> int:
    return problem.line or 0


# --- YAML with lines ---------------------------------------------------------------------------


@dataclass
class _Source:
    """Plain data read from YAML, the line of every path in it, and faults met on the way."""

    data: Any = None
    lines: dict[Loc, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def line_of(self, loc: Loc) -> int:
        """The line of `loc`, or of its deepest parent written in the file."""
        for end in range(len(loc), -1, -1):
            line = self.lines.get(tuple(loc[:end]))
            if line is not None:
                return line
        return 1


def _compose(text: str, path: str | Path, lang: str, t: Catalogue) -> _Source:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        reason = error.problem or error.context or ""
        raise _refused(path, lang, line, "", t("scenario.error.yaml", reason=reason)) from None
    except yaml.YAMLError as error:
        raise _refused(path, lang, None, "", t("scenario.error.yaml", reason=error)) from None
    if node is None:
        raise _refused(path, lang, 1, "", t("scenario.error.empty"))
    if not isinstance(node, yaml.MappingNode):
        raise _refused(path, lang, node.start_mark.line + 1, "", t("scenario.error.not_mapping"))
    source = _Source()
    source.data = _Converter(source, t).plain(node, ())
    return source


class _Converter:
    """Composed nodes → plain data, recording each path's line and any bad or repeated key."""

    def __init__(self, source: _Source, t: Catalogue) -> None:
        self.source = source
        self.t = t
        self.scalars = yaml.SafeLoader("")

    def plain(self, node: yaml.Node, loc: Loc) -> Any:
        self.source.lines[loc] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc)
        if isinstance(node, yaml.SequenceNode):
            return [self.plain(item, (*loc, index)) for index, item in enumerate(node.value)]
        try:
            return self.scalars.construct_object(node)
        except yaml.constructor.ConstructorError as error:
            self._fault(loc, node, self.t("scenario.error.yaml", reason=error.problem))
            return None

    def _mapping(self, node: yaml.MappingNode, loc: Loc) -> dict:
        out: dict = {}
        for key_node, value_node in node.value:
            key = (self.scalars.construct_object(key_node)
                   if isinstance(key_node, yaml.ScalarNode) else None)
            if not isinstance(key, str):
                self._fault(loc, key_node, self.t("scenario.error.key", key=_shown(key)))
                continue
            if key in out:
                self._fault((*loc, key), key_node, self.t("scenario.error.key_twice", key=key))
                continue
            out[key] = self.plain(value_node, (*loc, key))
        return out

    def _fault(self, loc: Loc, node: yaml.Node, message: str) -> None:
        self.source.problems.append(Problem(node.start_mark.line + 1, dotted(loc), message))


def _stray_lines(source: _Source, t: Catalogue) -> list[Problem]:
    """`line` is set by the loader, never written: a step that has one gets an unknown field."""
    steps = source.data.get("steps") if isinstance(source.data, dict) else None
    if not isinstance(steps, list):
        return []
    return [Problem(source.line_of(("steps", index, "line")), dotted(("steps", index, "line")),
                    _unknown_field(t, "line", _names(Step)))
            for index, step in enumerate(steps) if isinstance(step, dict) and "line" in step]


def _with_lines(scenario: Scenario, source: _Source) -> Scenario:
    steps = tuple(step.model_copy(update={"line": source.line_of(("steps", index))})
                  for index, step in enumerate(scenario.steps))
    lines = {dotted(loc): line for loc, line in source.lines.items()}
    return scenario.model_copy(update={"steps": steps}).with_lines(lines)


def _shown(value: object) -> str:
    """A value as YAML writes it: `[type, type]`, not `['type', 'type']`."""
    if isinstance(value, list | tuple):
        return "[" + ", ".join(map(_shown, value)) + "]"
    return str(value)


def dotted(loc: Iterable[int | str]) -> str:
    """`steps[2].do.refuse[0]`."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


# --- validation errors → problems --------------------------------------------------------------


def _file_loc(loc: Sequence[int | str]) -> Loc:
    """The path as written in the file: the models' kind tag is dropped where the file has no
    such level (every action; expectations whose key holds their value)."""
    out: list[int | str] = []
    index = 0
    while index < len(loc):
        part = loc[index]
        out.append(part)
        index += 1
        if index >= len(loc):
            break
        tag = loc[index]
        if part == "do" and tag in ACTIONS:
            index += 1
        elif len(out) >= 2 and out[-2] == "expect" and isinstance(part, int) and (
                tag in EXPECTATIONS and tag not in _NESTED_EXPECTATIONS):
            index += 1
            if index < len(loc) and loc[index] == tag:
                out.append(tag)
                index += 1
    return tuple(out)


def _model_at(loc: Loc, data: Any) -> type[BaseModel] | None:
    """The model a mapping at `loc` is validated as, to list its fields."""
    match loc:
        case ():
            return Scenario
        case ("start",):
            return Start
        case ("start", "services", int()):
            return ServiceStart
        case ("steps", int()):
            return Step
        case ("steps", int(step), "do"):
            action = _get(data, ("steps", step, "do"))
            named = [key for key in action if key in ACTIONS] if isinstance(action, dict) else []
            return ACTIONS[named[0]] if len(named) == 1 else None
        case ("steps", int(), "expect", int(), str(kind)) if kind in _NESTED_EXPECTATIONS:
            return EXPECTATIONS[kind]
    return None


def _get(data: Any, loc: Loc) -> Any:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _names(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items() if name != "line"]


def _unknown_field(t: Catalogue, name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    hint = t("scenario.error.did_you_mean", name=close[0]) if close else ""
    return t("scenario.error.extra_forbidden", name=name, choices=", ".join(known), hint=hint)


def _problem(source: _Source, detail: dict, t: Catalogue) -> Problem:
    loc = _file_loc(detail["loc"])
    return Problem(source.line_of(loc), dotted(loc), _message(source, loc, detail, t))


def _message(source: _Source, loc: Loc, detail: dict, t: Catalogue) -> str:
    kind, ctx = detail["type"], dict(detail.get("ctx") or {})
    if kind == "extra_forbidden":
        model = _model_at(loc[:-1], source.data)
        known = _names(model) if model else []
        return _unknown_field(t, str(loc[-1]), known)
    if kind == "missing":
        return t("scenario.error.missing", name=loc[-1] if loc else "")
    if kind == "literal_error" and loc == ("format",):
        return t("scenario.error.format", value=_shown(detail["input"]), version=FORMAT_VERSION)
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return t("scenario.error.literal_error", value=_shown(detail["input"]),
                 choices=expected)
    if kind in ("action_unknown", "expectation_unknown"):
        close = difflib.get_close_matches(str(ctx["name"]), ctx["choices"].split(", "), n=1)
        ctx["hint"] = t("scenario.error.did_you_mean", name=close[0]) if close else ""
    key = f"scenario.error.{kind}"
    if key in t:
        return t(key, **ctx)
    return t("scenario.error.other", message=detail["msg"])
