"""Messages en français: guide."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
}
