"""Synthetic health measures: reference-conformant Observations with trends and daily rhythms."""

from __future__ import annotations

import json
import random
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from statistics import mean

import pytest
from faker import Faker
from fhir.resources.R4B.observation import Observation
from sqlalchemy import func, select

from mock_server.reference import (
    LOINC,
    OBSERVATION_CATEGORY_SYSTEM,
    UCUM,
    Component,
    MeasureType,
    compute_bmi,
    measure_by_key,
    measure_by_loinc,
)
from mock_server.seed import seed_anchor, seed_database
from mock_server.seed.measure_observations import GLUCOSE_MOMENTS, MOMENT_EXTENSION
from mock_server.seed.measure_timeline import PARIS, discharge_day, fever_start, surgery_day
from mock_server.seed.measures import build_measures
from mock_server.seed.patients import SeedPatient, build_patients
from mock_server.storage import create_storage_engine
from mock_server.storage.schema import resources

NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
ANCHOR = seed_anchor(NOW)
REGULAR = (
    "body_weight", "bmi", "body_height", "steps_by_day", "heart_rate", "blood_pressure",
    "glucose", "pain_severity", "waist_circumference",
)  # fmt: skip
"""Measures taken regularly by at least one persona (temperature is taken now and then)."""

Series = list[tuple[datetime, dict]]


def _population(seed: int = 7) -> list[SeedPatient]:
    faker = Faker("fr_FR")
    faker.seed_instance(seed)
    return build_patients(random.Random(seed), faker)


def _measures(seed: str, anchor: datetime = ANCHOR) -> dict[str, list[dict]]:
    return {
        p.persona.key: build_measures(random.Random(f"{seed}|{p.persona.key}"), p, anchor)
        for p in _population()
    }


@pytest.fixture(scope="module")
def measures() -> dict[str, list[dict]]:
    return _measures("measures-test")


@pytest.fixture(scope="module")
def everything(measures: dict[str, list[dict]]) -> list[dict]:
    return [obs for series in measures.values() for obs in series]


def _key(obs: dict) -> str:
    return measure_by_loinc()[obs["code"]["coding"][0]["code"]].key


def _when(obs: dict) -> datetime:
    return datetime.fromisoformat(obs["effectiveDateTime"])


def _series(observations: list[dict], key: str) -> Series:
    return [(_when(o), o) for o in observations if _key(o) == key]


def _values(series: Series) -> list[float]:
    return [o["valueQuantity"]["value"] for _, o in series]


def _between(series: Series, first: datetime, last: datetime) -> list[float]:
    return _values([(t, o) for t, o in series if first <= t < last])


def _quantities(obs: dict) -> list[tuple[dict, MeasureType | Component]]:
    """Each valueQuantity of `obs` with the reference entry (measure or component) it measures."""
    measure = measure_by_loinc()[obs["code"]["coding"][0]["code"]]
    if "component" in obs:
        quantities = [c["valueQuantity"] for c in obs["component"]]
        return list(zip(quantities, measure.components, strict=True))
    return [(obs["valueQuantity"], measure)]


def _moment(obs: dict) -> str | None:
    for ext in obs.get("extension", []):
        if ext["url"] == MOMENT_EXTENSION:
            code = ext["valueCodeableConcept"]["coding"][0]["code"]
            return next(k for k, (c, _) in GLUCOSE_MOMENTS.items() if c == code)
    return None


def test_all_ten_reference_measures_appear_across_the_population(everything: list[dict]) -> None:
    assert {_key(o) for o in everything} == set(measure_by_key())
    assert len(measure_by_key()) == 10


def test_regular_measures_have_at_least_180_days_of_history_ending_just_before_the_anchor(
    measures: dict[str, list[dict]],
) -> None:
    for key in REGULAR:
        spans = []
        for observations in measures.values():
            times = [t for t, _ in _series(observations, key)]
            if times:
                spans.append((min(times), max(times)))
        assert any(
            first <= ANCHOR - timedelta(days=180) and ANCHOR - timedelta(days=7) <= last < ANCHOR
            for first, last in spans
        ), key


def test_no_measure_is_dated_at_or_after_the_anchor(everything: list[dict]) -> None:
    assert max(_when(o) for o in everything) < ANCHOR


def test_every_observation_validates_with_fhir_resources_r4b(everything: list[dict]) -> None:
    for obs in everything:
        Observation.model_validate(obs)


def test_codes_units_profiles_and_category_come_from_the_reference(
    everything: list[dict],
) -> None:
    for obs in everything:
        measure = measure_by_loinc()[obs["code"]["coding"][0]["code"]]
        assert obs["meta"]["profile"] == [measure.profile_url]
        assert obs["status"] == "final"
        assert obs["category"][0]["coding"][0]["system"] == OBSERVATION_CATEGORY_SYSTEM
        assert obs["category"][0]["coding"][0]["code"] == "vital-signs"
        assert obs["code"]["coding"] == [
            {"system": LOINC, "code": measure.loinc_code, "display": measure.loinc_display}
        ]
        assert obs["code"]["text"] == measure.label
        for quantity, unit in _quantities(obs):
            assert quantity["system"] == UCUM
            assert (quantity["code"], quantity["unit"]) == (unit.ucum_code, unit.ucum_unit)


def test_every_observation_references_its_patient(measures: dict[str, list[dict]]) -> None:
    ids = {p.persona.key: p.id for p in _population()}
    for key, observations in measures.items():
        assert {o["subject"]["reference"] for o in observations} == {f"Patient/{ids[key]}"}


def test_effective_times_are_paris_local_times_to_the_second(everything: list[dict]) -> None:
    pattern = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00$")
    for obs in everything:
        text = obs["effectiveDateTime"]
        assert pattern.match(text), text
        when = _when(obs)
        assert when.utcoffset() == when.astimezone(PARIS).utcoffset()


def test_each_bmi_is_compute_bmi_of_the_weight_and_height_it_derives_from(
    everything: list[dict],
) -> None:
    by_id = {o["id"]: o for o in everything}
    bmis = [o for o in everything if _key(o) == "bmi"]
    assert bmis
    for bmi in bmis:
        weight_ref, height_ref = (d["reference"] for d in bmi["derivedFrom"])
        weight = by_id[weight_ref.removeprefix("Observation/")]
        height = by_id[height_ref.removeprefix("Observation/")]
        assert (_key(weight), _key(height)) == ("body_weight", "body_height")
        expected = compute_bmi(weight["valueQuantity"]["value"], height["valueQuantity"]["value"])
        assert bmi["valueQuantity"]["value"] == expected
        assert bmi["effectiveDateTime"] == weight["effectiveDateTime"]
        assert _when(height) <= _when(weight)


def test_every_weight_has_exactly_one_bmi_and_uses_the_latest_height(
    measures: dict[str, list[dict]],
) -> None:
    for observations in measures.values():
        heights = _series(observations, "body_height")
        derived = {o["derivedFrom"][0]["reference"]: o for o in observations if _key(o) == "bmi"}
        assert len(derived) == len(_series(observations, "bmi"))
        for when, weight in _series(observations, "body_weight"):
            bmi = derived[f"Observation/{weight['id']}"]
            latest = max((t, h["id"]) for t, h in heights if t <= when)[1]
            assert bmi["derivedFrom"][1]["reference"] == f"Observation/{latest}"


def test_blood_pressure_has_systolic_and_diastolic_components_and_no_value(
    everything: list[dict],
) -> None:
    readings = [o for o in everything if _key(o) == "blood_pressure"]
    assert readings
    for obs in readings:
        assert not any(k.startswith("value") for k in obs)
        codings = [c["code"]["coding"] for c in obs["component"]]
        assert codings == [
            [{"system": LOINC, "code": c.loinc_code, "display": c.loinc_display}]
            for c in measure_by_key()["blood_pressure"].components
        ]
        assert [c.loinc_code for c in measure_by_key()["blood_pressure"].components] == [
            "8480-6",
            "8462-4",
        ]
        systolic, diastolic = (c["valueQuantity"]["value"] for c in obs["component"])
        assert systolic > diastolic


def test_values_stay_in_hard_ranges_and_are_rounded_to_the_reference_decimals(
    everything: list[dict],
) -> None:
    for obs in everything:
        for quantity, bounds in _quantities(obs):
            value = quantity["value"]
            assert bounds.hard_min <= value <= bounds.hard_max, (bounds.key, value)
            assert value == round(value, bounds.decimals)
            if bounds.decimals == 0:
                assert isinstance(value, int)


def test_every_blood_glucose_says_when_it_was_taken(everything: list[dict]) -> None:
    glucose = [o for o in everything if _key(o) == "glucose"]
    assert glucose
    assert all(_moment(o) in GLUCOSE_MOMENTS for o in glucose)
    assert all(o["valueQuantity"]["code"] == "mg/dL" for o in glucose)


def test_glucose_after_meals_is_higher_than_fasting_on_average(
    measures: dict[str, list[dict]],
) -> None:
    glucose = [o for _, o in _series(measures["diabetes"], "glucose")]
    by_moment = {m: [o["valueQuantity"]["value"] for o in glucose if _moment(o) == m]
                 for m in GLUCOSE_MOMENTS}  # fmt: skip
    assert mean(by_moment["after_meal"]) > mean(by_moment["fasting"]) + 25
    assert all(_when(o).hour < 9 for o in glucose if _moment(o) == "fasting")


def test_fasting_glucose_improves_under_treatment(measures: dict[str, list[dict]]) -> None:
    fasting = [(t, o) for t, o in _series(measures["diabetes"], "glucose")
               if _moment(o) == "fasting"]  # fmt: skip
    first_month = mean(_between(fasting, fasting[0][0], fasting[0][0] + timedelta(days=30)))
    last_month = mean(_between(fasting, ANCHOR - timedelta(days=30), ANCHOR))
    assert first_month >= 120  # ~1.3 g/L when the history starts
    assert last_month < first_month - 8


def test_diabetes_weight_and_waist_decrease(measures: dict[str, list[dict]]) -> None:
    weights = _series(measures["diabetes"], "body_weight")
    first = mean(_between(weights, weights[0][0], weights[0][0] + timedelta(days=30)))
    last = mean(_between(weights, ANCHOR - timedelta(days=30), ANCHOR))
    assert last < first - 3
    waist = _values(_series(measures["diabetes"], "waist_circumference"))
    assert len(waist) >= 6
    assert waist[-1] < waist[0]


def test_morning_blood_pressure_is_above_the_evening_one(measures: dict[str, list[dict]]) -> None:
    systolic = [(t.hour, o["component"][0]["valueQuantity"]["value"])
                for t, o in _series(measures["diabetes"], "blood_pressure")]  # fmt: skip
    morning = mean(v for hour, v in systolic if hour < 12)
    evening = mean(v for hour, v in systolic if hour >= 18)
    assert morning > evening + 2


def test_pregnancy_weight_gains_several_kilograms(measures: dict[str, list[dict]]) -> None:
    weights = _series(measures["pregnancy"], "body_weight")
    first = mean(_between(weights, weights[0][0], weights[0][0] + timedelta(days=14)))
    last = mean(_between(weights, ANCHOR - timedelta(days=14), ANCHOR))
    assert 5 <= last - first <= 10  # ~27 SA: about 7 kg of the 12 kg gained by term


def test_pregnancy_steps_are_higher_on_weekdays_than_at_weekends(
    measures: dict[str, list[dict]],
) -> None:
    steps = _series(measures["pregnancy"], "steps_by_day")
    assert len(steps) >= 180
    weekday = mean(o["valueQuantity"]["value"] for t, o in steps if t.weekday() < 5)
    weekend = mean(o["valueQuantity"]["value"] for t, o in steps if t.weekday() >= 5)
    assert weekday > weekend * 1.15
    assert all(t.hour >= 21 for t, _ in steps)  # counted in the evening


def test_pregnancy_has_no_waist_circumference(measures: dict[str, list[dict]]) -> None:
    assert not _series(measures["pregnancy"], "waist_circumference")


def test_autonomy_steps_decline_and_weight_slowly_decreases(
    measures: dict[str, list[dict]],
) -> None:
    steps = _series(measures["autonomy"], "steps_by_day")
    first = mean(_between(steps, steps[0][0], steps[0][0] + timedelta(days=30)))
    last = mean(_between(steps, ANCHOR - timedelta(days=30), ANCHOR))
    assert last < first * 0.85
    assert first < 4000  # low to begin with
    weights = _values(_series(measures["autonomy"], "body_weight"))
    assert weights[-1] < weights[0]


def test_child_grows_and_has_a_few_days_of_fever(measures: dict[str, list[dict]]) -> None:
    heights = _values(_series(measures["child"], "body_height"))
    assert heights[-1] > heights[0]
    start = datetime.combine(fever_start(ANCHOR), datetime.min.time(), tzinfo=PARIS)
    episode = _between(_series(measures["child"], "body_temperature"), start,
                       start + timedelta(days=6))  # fmt: skip
    assert max(episode) >= 39.0
    assert sum(v >= 38.0 for v in episode) >= 6


def test_discharged_pain_eases_steps_recover_and_the_hospital_stay_is_blank(
    measures: dict[str, list[dict]],
) -> None:
    observations = measures["discharged"]
    home = datetime.combine(discharge_day(ANCHOR), datetime.min.time(), tzinfo=PARIS)
    operated = datetime.combine(surgery_day(ANCHOR), datetime.min.time(), tzinfo=PARIS)
    assert not [o for o in observations if operated <= _when(o) < home + timedelta(hours=12)]
    pain = _series(observations, "pain_severity")
    after = _between(pain, home, ANCHOR)
    assert mean(after[:3]) > mean(after[-3:])
    assert _between(pain, ANCHOR - timedelta(days=190), ANCHOR - timedelta(days=160))
    steps = _between(_series(observations, "steps_by_day"), home, ANCHOR)
    assert steps[-1] > steps[0] * 2
    temperatures = _series(observations, "body_temperature")
    assert temperatures and all(t >= home for t, _ in temperatures)


def test_same_seed_and_anchor_give_identical_json_and_another_seed_differs() -> None:
    first = json.dumps(_measures("determinism"), sort_keys=True)
    assert first == json.dumps(_measures("determinism"), sort_keys=True)
    assert first != json.dumps(_measures("another seed"), sort_keys=True)


def test_seed_database_stays_within_the_observation_budget(tmp_path: Path) -> None:
    engine = create_storage_engine(f"sqlite:///{tmp_path / 'seed.db'}")
    seed_database(engine, seed=2026, now=NOW)
    with engine.connect() as conn:
        counts = dict(
            conn.execute(
                select(resources.c.resource_type, func.count()).group_by(resources.c.resource_type)
            ).all()
        )
        patients_with_measures = conn.execute(
            select(func.count(resources.c.patient_id.distinct())).where(
                resources.c.resource_type == "Observation"
            )
        ).scalar_one()
        subtypes = set(
            conn.execute(
                select(resources.c.subtype).where(resources.c.resource_type == "Observation")
            ).scalars()
        )
    engine.dispose()
    assert 2000 < counts["Observation"] < 15_000
    assert counts["Appointment"] > 0
    assert patients_with_measures == 6
    assert subtypes == set(measure_by_key())
