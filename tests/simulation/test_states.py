"""Named states: checked at start, and a workshop state built through the real consent flow."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from mock_server.simulation.states import DEFAULT_STATES_PATH, load_states
from mock_server.simulation.yaml_source import DataFileError
from mock_server.storage.schema import grant_versions, grants
from tests.simulation.helpers import admin

BP_READ = "patient/Observation.rs?code=http://loinc.org|85354-9"


async def test_the_pregnancy_workshop_connects_its_services_through_the_consent_flow(
    client: httpx.AsyncClient, app, engine,
) -> None:
    simulation = app.state.platform.simulation
    simulation.transport_factory = lambda: httpx.ASGITransport(app=app)
    try:
        reset = await admin(client, "POST", "/reset", {"state": "atelier-grossesse"})
    finally:
        await simulation.stop()
    scopes = {c["service"]["id"]: c["scope"] for c in reset["connections"]}
    assert set(scopes) == {"pesee-claire", "grossesse-sereine"}
    assert BP_READ not in scopes["grossesse-sereine"]
    with engine.connect() as conn:
        rows = conn.execute(select(grants.c.client_id, grant_versions.c.actor,
                                   grant_versions.c.change)
                            .join(grant_versions, grant_versions.c.grant_id == grants.c.id)).all()
    assert sorted(rows) == [("grossesse-sereine", "camille.martin", "created"),
                            ("pesee-claire", "camille.martin", "created")]


def test_a_state_file_error_names_its_line(tmp_path: Path) -> None:
    text = DEFAULT_STATES_PATH.read_text(encoding="utf-8")
    path = tmp_path / "states.yaml"
    path.write_text(text.replace("refuse: [measures/blood_pressure/read]",
                                 "refuse: [measures/glucose/read]"), encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_states(path)
    [problem] = caught.value.problems
    # The rule is about the whole connection: its first line is named.
    line = text[:text.index("      - account: camille.martin\n        service: grossesse")].count(
        "\n") + 1
    assert f"states.yaml, ligne {line} : states.atelier-grossesse.connections[1]" in problem
    assert "rien à refuser" in problem
