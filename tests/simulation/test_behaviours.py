"""The behaviours file: the shipped one covers the whole catalogue; a broken one is refused at
start with its file, line and reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from mock_server.catalog import load_catalog
from mock_server.simulation import behaviours as behaviours_module
from mock_server.simulation.behaviours import DEFAULT_BEHAVIOURS_PATH, load_behaviours
from mock_server.simulation.yaml_source import DataFileError

SHIPPED = DEFAULT_BEHAVIOURS_PATH.read_text(encoding="utf-8")


def test_every_catalogue_service_has_a_checked_behaviour() -> None:
    behaviours = load_behaviours()
    assert set(behaviours.by_service) == set(load_catalog().by_id)
    for behaviour in behaviours.by_service.values():
        assert behaviour.actions and behaviour.description


def test_the_issue_examples_behave_as_described() -> None:
    behaviours = load_behaviours()
    scale = behaviours.of("pesee-claire").actions[0]
    assert (scale.generator.name, [t.isoformat() for t in scale.schedule.at]) == (
        "body_weight", ["07:00:00"])
    cuff = behaviours.of("tensio-suivi").actions[0]
    assert cuff.generator.name == "blood_pressure" and len(cuff.schedule.at) == 2
    portal = [a.params.template for a in behaviours.of("chu-belles-rives").actions
              if a.generator and a.generator.name == "document"]
    assert portal == ["admission", "sejour", "lettre_sortie"]
    pills = behaviours.of("pilulier-malin").actions
    assert {(a.read.data_class, a.read.subtype) for a in pills} == {
        ("documents", "traitement-soins")}


def _broken(tmp_path: Path, old: str, new: str) -> list[str]:
    assert old in SHIPPED
    path = tmp_path / "behaviours.yaml"
    path.write_text(SHIPPED.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_behaviours(path, load_catalog())
    return caught.value.problems


def _line_of(text: str) -> int:
    return SHIPPED[:SHIPPED.index(text)].count("\n") + 1


@pytest.mark.parametrize(("old", "new", "words", "place"), [
    ('at: "07:00"\n        jitter: 20m', "at: 7:00\n        jitter: 20m", "entre guillemets",
     None),
    ("write: body_weight", "write: body_wieght", "générateur « body_wieght » inconnu", None),
    ("read: measures/bmi", "read: measures/glucose", "ne demande pas la permission", None),
    ("every: 2d", "every: 2 jours", "n'est pas une durée", None),
    ("jitter: 20m", "jiter: 20m", "champ inconnu", None),
    ("template: telesurveillance", "template: inconnu", "modèle de document « inconnu »", None),
    # Rules about the action as a whole point at its first line.
    ("every: 2d", "every: 2d\n        on_connect: true", "exactement un calendrier",
     "- write: body_temperature\n        every: 2d"),
    ("jitter: 20m", "jitter: 13h", "moitié de l'écart", "- write: body_weight"),
])
def test_a_broken_action_names_file_line_and_reason(
    tmp_path: Path, old: str, new: str, words: str, place: str | None,
) -> None:
    [problem] = _broken(tmp_path, old, new)
    line = _line_of(place or old)
    assert problem.startswith(f"{tmp_path / 'behaviours.yaml'}, ligne {line} ")
    assert words in problem


def test_a_missing_or_unknown_service_is_named(tmp_path: Path) -> None:
    problems = _broken(tmp_path, "  classeur-sante:", "  classeur-santé-bis:")
    assert any("aucun service « classeur-santé-bis »" in p for p in problems)
    assert any("il manque : classeur-sante" in p for p in problems)


def test_yaml_syntax_errors_name_their_line(tmp_path: Path) -> None:
    [problem] = _broken(tmp_path, "services:", "services: [")
    assert "YAML invalide" in problem and ", ligne " in problem


def test_a_broken_behaviours_file_stops_the_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings,
) -> None:
    from mock_server.app import create_app

    path = tmp_path / "behaviours.yaml"
    path.write_text(SHIPPED.replace("write: glucose", "write: glucoze", 1), encoding="utf-8")
    monkeypatch.setattr(behaviours_module, "DEFAULT_BEHAVIOURS_PATH", path)
    with pytest.raises(DataFileError, match="glucoze"):
        create_app(settings)
