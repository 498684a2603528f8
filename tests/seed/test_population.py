"""The synthetic population: personas, valid test INS, legal representation, determinism."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from fhir.resources.R4B.patient import Patient
from sqlalchemy import Engine, select

from mock_server.reference import INS_TEST_SYSTEM
from mock_server.seed import seed_anchor, seed_database
from mock_server.seed.patients import ins_key
from mock_server.storage import create_storage_engine
from mock_server.storage.schema import accounts, patients, representations, resources

NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)


def _dump(engine: Engine) -> dict[str, list]:
    with engine.connect() as conn:
        return {
            "patients": [tuple(r) for r in conn.execute(select(patients).order_by(patients.c.id))],
            "resources": [
                (r.id, r.resource_type, r.patient_id, r.json)
                for r in conn.execute(select(resources).order_by(resources.c.id))
            ],
        }


def test_population_has_the_five_required_situations_and_a_parent(engine: Engine) -> None:
    with engine.connect() as conn:
        profiles = set(conn.execute(select(patients.c.profile)).scalars())
    assert {"pregnancy", "diabetes", "autonomy", "child", "discharged", "parent"} <= profiles


def test_every_ins_is_a_13_digit_nir_with_a_valid_key_in_the_test_system(engine: Engine) -> None:
    with engine.connect() as conn:
        rows = conn.execute(select(patients)).all()
    assert len(rows) >= 5
    for row in rows:
        assert len(row.ins_nir) == 13 and row.ins_nir.isdigit()
        assert int(row.ins_key) == 97 - int(row.ins_nir) % 97
        resource = json.loads(row.json)
        Patient.model_validate(resource)
        identifier = resource["identifier"][0]
        assert identifier["system"] == INS_TEST_SYSTEM
        assert identifier["value"] == row.ins_nir + row.ins_key


def test_nir_sex_and_birth_digits_match_the_person(engine: Engine) -> None:
    with engine.connect() as conn:
        for row in conn.execute(select(patients)):
            assert row.ins_nir[0] == ("1" if row.gender == "male" else "2")
            assert row.ins_nir[1:5] == row.birth_date[2:4] + row.birth_date[5:7]


def test_ins_key_matches_the_published_formula_on_a_known_example() -> None:
    # 97 - (2940375120005 mod 97)
    assert ins_key("2940375120005") == f"{97 - 2940375120005 % 97:02d}"


def test_the_child_has_no_login_and_is_represented_by_a_parent(engine: Engine, patient_ids) -> None:
    with engine.connect() as conn:
        child_logins = conn.execute(
            select(accounts).where(accounts.c.patient_id == patient_ids["child"])
        ).all()
        reps = conn.execute(select(representations)).all()
        child = json.loads(
            conn.execute(select(patients.c.json).where(patients.c.id == patient_ids["child"]))
            .scalar_one()
        )
    assert child_logins == []
    assert [(r.username, r.patient_id, r.relationship) for r in reps] == [
        ("sophie.dubois", patient_ids["child"], "parent")
    ]
    assert child["contact"][0]["name"]["family"] == "Dubois"


def test_same_seed_and_day_give_identical_data(tmp_path) -> None:
    first = create_storage_engine(f"sqlite:///{tmp_path / 'a.db'}")
    second = create_storage_engine(f"sqlite:///{tmp_path / 'b.db'}")
    seed_database(first, seed=7, now=NOW)
    seed_database(second, seed=7, now=NOW.replace(hour=20))  # same Paris day
    assert _dump(first) == _dump(second)


def test_another_seed_gives_other_identities(tmp_path) -> None:
    first = create_storage_engine(f"sqlite:///{tmp_path / 'a.db'}")
    second = create_storage_engine(f"sqlite:///{tmp_path / 'b.db'}")
    seed_database(first, seed=7, now=NOW)
    seed_database(second, seed=8, now=NOW)
    assert _dump(first)["patients"] != _dump(second)["patients"]


def test_seeding_a_seeded_database_keeps_it_and_fresh_rebuilds_it(tmp_path) -> None:
    engine = create_storage_engine(f"sqlite:///{tmp_path / 'a.db'}")
    assert seed_database(engine, seed=7, now=NOW).seeded
    before = _dump(engine)
    assert not seed_database(engine, seed=7, now=NOW).seeded
    assert _dump(engine) == before
    assert seed_database(engine, seed=7, now=NOW, fresh=True).seeded
    assert _dump(engine) == before


def test_history_is_anchored_at_paris_midnight() -> None:
    late_evening_utc = datetime(2026, 11, 26, 23, 30, tzinfo=UTC)  # already the 27th in Paris
    assert seed_anchor(late_evening_utc).isoformat() == "2026-11-27T00:00:00+01:00"
