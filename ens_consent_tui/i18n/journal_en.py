"""English messages: journal."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
}
