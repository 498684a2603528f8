"""The catalogues: same keys and placeholders in French and English, every key the code uses
exists, and screens and widgets hold no prose of their own."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from ens_consent_tui.app import SECTIONS
from ens_consent_tui.client.measures import MEASURES
from ens_consent_tui.client.records import DOCUMENT_GROUPS
from ens_consent_tui.demo_accounts import DEMO_ACCOUNTS
from ens_consent_tui.i18n import LANGUAGES
from ens_consent_tui.problems import _KEYS
from ens_consent_tui.screens.data import TABS
from ens_consent_tui.screens.store import DATA_CLASSES
from ens_consent_tui.theme import THEMES

PACKAGE = Path(__file__).resolve().parents[2] / "ens_consent_tui"
LITERAL_KEY = re.compile(
    r'(?:\bt|i18n|\.t|maybe)\(\s*"([a-z0-9_.\-]+)"'  # t("login.title")
    r'|Binding\([^)]*?"((?:key|section|data)\.[a-z_.\-]+)"'  # binding descriptions
    r'|"(key\.[a-z_]+)"'  # keys named as constants
)
PROSE = re.compile(r"[A-Za-zÀ-ÿ]{2,}[ '’][A-Za-zÀ-ÿ]{2,}")


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_french_and_english_have_the_same_keys() -> None:
    assert set(LANGUAGES["fr"]) == set(LANGUAGES["en"])


@pytest.mark.parametrize("key", sorted(LANGUAGES["fr"]))
def test_placeholders_match_between_languages(key: str) -> None:
    assert placeholders(LANGUAGES["fr"][key]) == placeholders(LANGUAGES["en"][key])


def used_keys() -> set[str]:
    keys: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for match in LITERAL_KEY.finditer(path.read_text(encoding="utf-8")):
            keys.update(k for k in match.groups() if k)
    return keys


def dynamic_keys() -> set[str]:
    """Keys built from domain values (f"measure.{key}"...): one per value the app can meet."""
    appointment_statuses = ("proposed", "pending", "booked", "arrived", "fulfilled",
                            "cancelled", "noshow", "entered-in-error", "checked-in", "waitlist")
    return {
        *(f"{kind}.{m.key}" for m in MEASURES for kind in ("measure", "unit")),
        *(f"component.{c.key}" for m in MEASURES if m.has_components for c in m.components),
        *(f"group.{g}" for g in DOCUMENT_GROUPS),
        *(f"data_class.{c}" for c in DATA_CLASSES),
        *(f"data.tab.{tab}" for tab in TABS),
        *(f"appointment.status.{s}" for s in appointment_statuses),
        *(f"referencing.{s}" for s in ("reference", "suspendu", "en-cours")),
        *(f"sheet.status.{s}" for s in ("reference", "suspendu", "en-cours")),
        *(f"pricing.{p}" for p in ("gratuit", "payant", "freemium")),
        *(f"platform.{p}" for p in ("web", "ios", "android")),
        *(f"access.{a}" for a in ("read", "write")),
        *(f"theme.{name}" for name in THEMES),
        *(f"{key}.{part}" for _, key in _KEYS for part in ("title", "message")),
        "error.unexpected.title", "error.unexpected.message",
        *(a.story_key for a in DEMO_ACCOUNTS),
        *(s.label_key for s in SECTIONS),
        *(f"store.column.{c}" for c in ("name", "reads", "writes", "status", "pricing",
                                        "editor")),
        *(f"measures.column.{c}" for c in ("measure", "trend", "last", "date")),
        *(f"measures.values.{c}" for c in ("date", "time", "value")),
        *(f"agenda.column.{c}" for c in ("date", "time", "what", "with", "status")),
        *(f"agenda.{c}" for c in ("upcoming", "past")),
        "login.server.ok", "login.server.unreachable", "space.option.self",
        "space.option.other", "sheet.hosting.hds", "sheet.hosting.not_hds", "sheet.privacy",
        "sheet.terms",
    }


def test_every_key_the_code_uses_is_in_the_catalogue() -> None:
    missing = (used_keys() | dynamic_keys()) - set(LANGUAGES["fr"])
    assert not missing


def test_the_catalogues_are_the_only_languages() -> None:
    assert set(LANGUAGES) == {"fr", "en"}


def prose_in(path: Path) -> list[str]:
    """String constants that read like words, outside docstrings (bare string statements) and
    CSS."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            skipped.add(id(node.value))
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "DEFAULT_CSS" for t in node.targets):
            skipped.add(id(node.value))
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in skipped and PROSE.search(node.value)]


@pytest.mark.parametrize("path", sorted(
    [*(PACKAGE / "screens").glob("*.py"), *(PACKAGE / "widgets").glob("*.py"),
     PACKAGE / "app.py"]), ids=lambda p: p.name)
def test_screens_and_widgets_hold_no_prose_of_their_own(path: Path) -> None:
    assert prose_in(path) == []
