"""English messages: scenario."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
}
