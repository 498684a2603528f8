"""A scenario's starting state on the platform, through the console API: the consent
granularity, the simulated clock, and the patient's space with the services already connected.

The clock is paused first, so that the services connected here do nothing unplanned while the
space is prepared; it runs afterwards when the scenario says `running` or gives a speed.
"""

from __future__ import annotations

from dataclasses import dataclass

from ens_consent_tui.client.console import ConsoleApi
from ens_consent_tui.scenarios.model import Start


@dataclass(frozen=True)
class PreparedStart:
    """The space a scenario acts in, as the platform prepared it."""

    account: str
    """Who signs in."""
    patient_id: str
    """Whose space it is (the represented person's with `for`): facilitator actions name it."""
    patient: str
    """That person's name."""
    maille: str
    clock: dict
    """The clock once set (`now`, `speed`, `paused`...)."""
    connections: tuple[dict, ...]
    """What each service connected at the start answered."""


async def prepare(console: ConsoleApi, start: Start) -> PreparedStart:
    """Set the granularity and the clock, reset the patient's space, connect its services."""
    if isinstance(start.maille, tuple):
        raise ValueError("one maille per run: expand the scenario with variants() first")
    await console.pause()
    await console.set_maille(start.maille)
    answer = await console.prepare(start.patient, start.for_, [
        {"service": s.service, "refuse": [str(p) for p in s.refuse], "duration": s.duration}
        for s in start.services])
    clock = answer.get("clock") or {}
    if not start.clock.paused:
        clock = await (console.set_speed(start.clock.speed) if start.clock.speed
                       else console.resume())
    return PreparedStart(account=start.patient, patient_id=str(answer.get("patient_id", "")),
                         patient=str(answer.get("patient", "")), maille=start.maille,
                         clock=clock, connections=tuple(answer.get("connections") or ()))


async def release(console: ConsoleApi, start: Start) -> None:
    """Disconnect every service of the scenario's space and pause the clock, so the services a
    scenario connected do not act during the next scenarios (their clock jumps would run them
    too, and a scenario's outcome would depend on the ones played before it)."""
    await console.pause()
    await console.prepare(start.patient, start.for_, [], keep_data=True)
