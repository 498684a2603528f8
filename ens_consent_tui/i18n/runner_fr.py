"""Messages en français: runner."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
}
