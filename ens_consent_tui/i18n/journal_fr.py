"""Messages en français: journal."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
}
