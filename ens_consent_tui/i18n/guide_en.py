"""English messages: guide."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
}
