"""Who is logged in and whose space the app shows (a legal representative acts for others)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Space:
    """A patient's space the person may act in: their own, or a represented patient's."""

    patient_id: str
    name: str
    is_self: bool


@dataclass(frozen=True)
class Session:
    """The logged-in person and the space the current tokens act in."""

    username: str
    display_name: str
    own_patient_id: str
    space: Space
    spaces: tuple[Space, ...]
    """Every space offered at login (the own space first); one for most people."""

    @property
    def represents_others(self) -> bool:
        return len(self.spaces) > 1

    @property
    def acts_for_someone_else(self) -> bool:
        return not self.space.is_self

    def to_json(self) -> dict:
        return {
            "username": self.username,
            "display_name": self.display_name,
            "own_patient_id": self.own_patient_id,
            "space": _space_json(self.space),
            "spaces": [_space_json(s) for s in self.spaces],
        }

    @classmethod
    def from_json(cls, data: dict) -> Session:
        """Raises KeyError/TypeError on a malformed record (the caller discards it)."""
        return cls(
            username=data["username"],
            display_name=data["display_name"],
            own_patient_id=data["own_patient_id"],
            space=Space(**data["space"]),
            spaces=tuple(Space(**s) for s in data["spaces"]),
        )


def _space_json(space: Space) -> dict:
    return {"patient_id": space.patient_id, "name": space.name, "is_self": space.is_self}
