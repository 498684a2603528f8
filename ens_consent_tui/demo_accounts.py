"""The five synthetic accounts of the platform's README, offered for one-key login.

There is no public endpoint listing accounts (a real platform would never have one), so the app
keeps this short list; anyone else types an identifier and a password.
"""

from __future__ import annotations

from dataclasses import dataclass

DEMO_PASSWORD = "demo2026"
"""The password every synthetic account shares (documented in the README)."""


@dataclass(frozen=True)
class DemoAccount:
    username: str
    name: str
    age: int
    story_key: str
    """Catalogue key of the one-line story (pregnancy, diabetes...)."""


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("camille.martin", "Camille Martin", 32, "demo.pregnancy"),
    DemoAccount("karim.benali", "Karim Benali", 58, "demo.diabetes"),
    DemoAccount("jeanne.lefevre", "Jeanne Lefèvre", 82, "demo.autonomy"),
    DemoAccount("sophie.dubois", "Sophie Dubois", 38, "demo.parent"),
    DemoAccount("thomas.girard", "Thomas Girard", 46, "demo.discharged"),
)
