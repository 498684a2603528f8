"""Every behaviour of every service sends requests the platform accepts, with deterministic
payloads; documents are believable French texts."""

from __future__ import annotations

import base64
from datetime import timedelta

import httpx
import pytest

from tests.simulation.helpers import connect_service


@pytest.fixture
async def simulation(app):
    simulation = app.state.platform.simulation
    simulation.transport_factory = lambda: httpx.ASGITransport(app=app)
    yield simulation
    await simulation.stop()


@pytest.mark.parametrize("username", ["camille.martin", "thomas.girard"])
async def test_every_action_of_every_service_is_accepted_by_the_platform(
    client: httpx.AsyncClient, simulation, clock, username: str,
) -> None:
    for sheet in simulation.catalog.services:
        if not simulation.is_suspended(sheet.id):
            await connect_service(client, sheet.id, username)
    refused = []
    for agent in list(simulation.agents.values()):
        for action in agent.behaviour.actions:
            for call in await agent.perform(action, clock.now(), clock.now()):
                if call.outcome != "allowed":
                    refused.append((agent.service.id, action.label, call.status, call.detail))
    assert refused == []


async def test_payloads_are_the_same_for_the_same_seed_service_patient_and_slot(
    client: httpx.AsyncClient, simulation, clock,
) -> None:
    await connect_service(client, "chu-belles-rives", "thomas.girard")
    await connect_service(client, "tensio-suivi", "thomas.girard")
    for agent in simulation.agents.values():
        writes = [a for a in agent.behaviour.actions if a.generator is not None]
        slot = clock.now() + timedelta(hours=2)
        for action in writes:
            first = agent._generate(action, slot, slot)
            assert first == agent._generate(action, slot, slot)
            later = agent._generate(action, slot + timedelta(days=1), slot + timedelta(days=1))
            assert first != later


async def test_a_hospital_admission_report_is_a_french_text_from_the_patients_story(
    client: httpx.AsyncClient, simulation, clock,
) -> None:
    await connect_service(client, "chu-belles-rives", "thomas.girard")
    agent = next(iter(simulation.agents.values()))
    admission = agent.behaviour.actions[0]
    [request] = agent._generate(admission, clock.now(), clock.now())
    document = request.body
    assert document["type"]["coding"][0]["code"] == "67851-6"
    text = base64.b64decode(document["content"][0]["attachment"]["data"]).decode("utf-8")
    assert "Compte rendu d'admission" in text and "CHU des Belles-Rives" in text
    assert "prothèse totale" in text and "Thomas GIRARD" in text
