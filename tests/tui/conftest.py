"""Fixtures of the patient app's tests: an in-memory keyring, the app on the live server, and
helpers that wait for conditions (never bare sleeps)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError
from textual.message import Message
from textual.pilot import Pilot

from ens_consent_tui.app import EnsConsentApp, make_app
from ens_consent_tui.client import MemoryTokenStore, TokenStore

POLL = 0.05
TIMEOUT = 15.0


class InMemoryKeyring(KeyringBackend):
    """A keyring backend in a dict: tests never touch the developer's real keychain."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[InMemoryKeyring]:
    previous = keyring.get_keyring()
    backend = InMemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def messages() -> list[Message]:
    """Every message the app processed (pass `message_hook=messages.append` to run_test)."""
    return []


@pytest.fixture
def build_app(live_server: str, tmp_path: Path) -> Callable[..., EnsConsentApp]:
    """`build_app(lang="fr", token_store=None, server=None)`: the app the CLI would build."""

    def build(lang: str = "fr", token_store: TokenStore | None = None,
              server: str | None = None) -> EnsConsentApp:
        return make_app(server or live_server, lang=lang,
                        token_store=token_store or MemoryTokenStore(),
                        screenshot_dir=tmp_path)

    return build


async def wait_for(pilot: Pilot, condition: Callable[[], object], what: str = "condition",
                   timeout: float = TIMEOUT) -> None:
    """Let the app run until `condition()` is true (bounded)."""
    for _ in range(int(timeout / POLL)):
        if condition():
            return
        await pilot.pause(POLL)
    raise AssertionError(f"timed out waiting for {what}")


async def settle(pilot: Pilot) -> None:
    """Let pending messages and workers finish."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def seen(messages: list[Message], kind: type[Message]) -> list:
    """The messages of one kind, once each (a bubbling message reaches several nodes)."""
    found: list = []
    for message in messages:
        if isinstance(message, kind) and all(message is not m for m in found):
            found.append(message)
    return found


async def sign_in_demo(pilot: Pilot, number: int) -> None:
    """Log in with demo account `number` (1 = Camille ... 5 = Thomas) and wait for Accueil,
    or for the space choice of a legal representative."""
    app = pilot.app
    await wait_for(pilot, lambda: getattr(app.screen, "server_reachable", None),
                   "the server check")
    await pilot.press(str(number))
    await wait_for(pilot, lambda: app.current_mode == "home" or len(app.screen_stack) > 1,
                   "the login")
    await settle(pilot)
