"""Where the app keeps its refresh token between runs: the OS keyring, or memory only.

Never a plaintext file. One keyring entry per server URL and username (service `ens-consent`),
holding the refresh token and the session it belongs to, plus one entry per server naming the
last person logged in, so the next start can resume their session. `keyring` is imported when
a keyring store is first used (a memory store never pays for it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Protocol

from ens_consent_tui.client.errors import TokenStoreUnavailable
from ens_consent_tui.client.session import Session

KEYRING_SERVICE = "ens-consent"


@dataclass(frozen=True)
class StoredSession:
    """A refresh token and the session it was issued for."""

    refresh_token: str
    session: Session


class TokenStore(Protocol):
    """Keeps one stored session per (server, username)."""

    def load(self, server: str, username: str) -> StoredSession | None: ...

    def save(self, server: str, stored: StoredSession) -> None: ...

    def delete(self, server: str, username: str) -> None: ...

    def last_username(self, server: str) -> str | None: ...


class MemoryTokenStore:
    """Tokens kept in this process only: they are gone when the app stops."""

    def __init__(self) -> None:
        self._sessions: dict[tuple[str, str], StoredSession] = {}
        self._last: dict[str, str] = {}

    def load(self, server: str, username: str) -> StoredSession | None:
        return self._sessions.get((server, username))

    def save(self, server: str, stored: StoredSession) -> None:
        self._sessions[(server, stored.session.username)] = stored
        self._last[server] = stored.session.username

    def delete(self, server: str, username: str) -> None:
        self._sessions.pop((server, username), None)
        if self._last.get(server) == username:
            del self._last[server]

    def last_username(self, server: str) -> str | None:
        return self._last.get(server)


class KeyringTokenStore:
    """Tokens in the OS keyring (macOS Keychain, Windows Credential Locker, Secret Service)."""

    def __init__(self, service: str = KEYRING_SERVICE) -> None:
        self.service = service

    def load(self, server: str, username: str) -> StoredSession | None:
        text = self._get(_session_key(server, username))
        if text is None:
            return None
        try:
            data = json.loads(text)
            return StoredSession(data["refresh_token"], Session.from_json(data["session"]))
        except (ValueError, KeyError, TypeError):
            # An entry from another version or damaged: forgetting it only costs a login.
            self.delete(server, username)
            return None

    def save(self, server: str, stored: StoredSession) -> None:
        text = json.dumps({"refresh_token": stored.refresh_token,
                           "session": stored.session.to_json()})
        self._set(_session_key(server, stored.session.username), text)
        self._set(_last_key(server), stored.session.username)

    def delete(self, server: str, username: str) -> None:
        self._delete(_session_key(server, username))
        if self.last_username(server) == username:
            self._delete(_last_key(server))

    def last_username(self, server: str) -> str | None:
        return self._get(_last_key(server))

    def _get(self, key: str) -> str | None:
        import keyring
        from keyring.errors import KeyringError

        try:
            return keyring.get_password(self.service, key)
        except KeyringError as error:
            raise TokenStoreUnavailable(str(error)) from error

    def _set(self, key: str, value: str) -> None:
        import keyring
        from keyring.errors import KeyringError

        try:
            keyring.set_password(self.service, key, value)
        except KeyringError as error:
            raise TokenStoreUnavailable(str(error)) from error

    def _delete(self, key: str) -> None:
        import keyring
        from keyring.errors import KeyringError, PasswordDeleteError

        try:
            keyring.delete_password(self.service, key)
        except PasswordDeleteError:
            pass
        except KeyringError as error:
            raise TokenStoreUnavailable(str(error)) from error


def _session_key(server: str, username: str) -> str:
    return f"{server}|{username}"


def _last_key(server: str) -> str:
    # '#' cannot collide with a session key, which always holds a '|'.
    return f"{server}#last"


def keyring_usable() -> bool:
    """Whether the OS keyring can hold secrets: a real backend, none that writes plaintext."""
    import keyring
    from keyring.backends import chainer

    backend = keyring.get_keyring()
    backends = (backend.backends if isinstance(backend, chainer.ChainerBackend)
                else [backend])
    return bool(backends) and all(b.priority > 0 and not _writes_plaintext(b) for b in backends)


def _writes_plaintext(backend: object) -> bool:
    kind = type(backend)
    return kind.__module__.startswith("keyrings.alt") and "Plaintext" in kind.__name__
