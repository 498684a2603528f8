"""The scenario format: what the models accept, and how every fault of a file is told (its
file, its line, where in the scenario, and what is wrong, in French or in English)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from textwrap import dedent

import pytest

from ens_consent_tui.scenarios.loader import ScenarioError, load_scenario, load_text
from ens_consent_tui.scenarios.model import (
    ACTIONS,
    EXPECTATIONS,
    Act,
    AdvanceClock,
    ChangeDuration,
    Connect,
    ExchangeSeen,
    GrantState,
    Misbehave,
    NoExchange,
    NotificationShown,
    Open,
    Permission,
    Press,
    Scenario,
    SectionIs,
    Suspend,
    TextAbsent,
    TextShown,
)

HEAD = """\
format: 1
title: Essai
start:
  patient: camille.martin
steps:
"""
"""A valid beginning: the cases below add their steps (the first step is on line 6)."""


def scenario_text(steps: str) -> str:
    return HEAD + dedent(steps)


def problems_of(text: str, lang: str = "fr") -> list[tuple[int | None, str, str]]:
    with pytest.raises(ScenarioError) as caught:
        load_text(text, "scenarios/essai.yaml", lang)
    return [(p.line, p.where, p.message) for p in caught.value.problems]


# --- what a valid file gives -------------------------------------------------------------------


FULL = """\
format: 1
title: Première connexion
description: >-
  Camille connecte Grossesse Sereine.
tags: [grossesse]
lang: fr
start:
  patient: camille.martin
  for: child
  maille: ressource
  clock: {speed: 60}
  services:
    - service: pesee-claire
      refuse: [measures/body_height/read]
      duration: 1y
steps:
  - title: Ouvrir le catalogue
    notes: Laissez-la chercher.
    do: {open: store}
    expect:
      - section: store
      - text: Grossesse Sereine
      - no_text: Erreur
      - notification: Service connecté
  - title: Connecter
    notes: Elle décoche la tension.
    do:
      connect: grossesse-sereine
      refuse: [measures/blood_pressure/read, documents/*/read]
      duration: revocation
    expect:
      - grant:
          service: grossesse-sereine
          status: active
          allows: [measures/body_weight/read]
          denies: [measures/blood_pressure/read]
          duration: revocation
      - exchange: {service: grossesse-sereine, outcome: denied, access: read,
                   data: measures/blood_pressure, count: 2}
      - no_exchange: {service: grossesse-sereine, data: documents}
    timeout: 12
  - title: L'animateur agit
    notes: Une semaine passe.
    do: {advance_clock: P7D}
  - title: Mal se comporter
    notes: Hors autorisation.
    do: {misbehave: grossesse-sereine, kind: expired_token}
  - title: Touches
    notes: Une seule touche.
    do: {press: ctrl+r}
"""


def test_a_complete_file_gives_every_part_of_the_scenario() -> None:
    scenario = load_text(FULL, "scenarios/full.yaml")
    start = scenario.start
    assert (scenario.title, scenario.tags, scenario.lang) == ("Première connexion",
                                                              ("grossesse",), "fr")
    assert (start.patient, start.for_, start.maille) == ("camille.martin", "child", "ressource")
    assert (start.clock.paused, start.clock.speed) == (False, 60)
    assert start.services[0].refuse == (Permission.parse("measures/body_height/read"),)
    assert start.services[0].duration == "1y"
    first, connect, clock, misbehave, press = scenario.steps
    assert first.do == Open(section="store")
    assert first.expect == (SectionIs(section="store"), TextShown(text="Grossesse Sereine"),
                            TextAbsent(text="Erreur"),
                            NotificationShown(text="Service connecté"))
    assert isinstance(connect.do, Connect)
    assert [str(p) for p in connect.do.refuse] == ["measures/blood_pressure/read",
                                                   "documents/*/read"]
    assert connect.do.duration == "revocation"
    grant, seen, unseen = connect.expect
    assert isinstance(grant, GrantState) and grant.denies == (
        Permission("measures", "blood_pressure", "read"),)
    assert isinstance(seen, ExchangeSeen)
    assert (seen.count, seen.data) == (2, "measures/blood_pressure")
    assert isinstance(unseen, NoExchange) and unseen.outcome == "any"
    assert connect.timeout == 12 and first.timeout == 5
    assert isinstance(clock.do, AdvanceClock) and clock.do.span == timedelta(days=7)
    assert misbehave.do == Misbehave(service="grossesse-sereine", misbehaviour="expired_token")
    assert press.do == Press(keys=("ctrl+r",))


def test_each_step_knows_its_line_and_each_place_its_line() -> None:
    scenario = load_text(FULL, "scenarios/full.yaml")
    assert [step.line for step in scenario.steps] == [17, 25, 42, 45, 48]
    assert scenario.line_of("steps[1].do.refuse[1]") == 29
    assert scenario.line_of("start.services[0].refuse") == 14
    assert scenario.line_of("steps[1].expect[0].grant.denies[0]") == 36
    assert scenario.line_of("steps[1].expect[0].grant.nothing.here") == 33


def test_defaults_are_those_of_the_contract() -> None:
    scenario = load_text(scenario_text("""\
        - title: a
          notes: b
          do: {connect: pesee-claire}
        """))
    assert scenario.start.maille == "type" and scenario.start.clock.paused
    assert scenario.start.for_ is None and scenario.start.services == ()
    assert scenario.lang == "fr" and scenario.description == "" and scenario.tags == ()
    assert scenario.steps[0].do == Connect(service="pesee-claire", refuse=(), duration="6m")
    assert scenario.steps[0].expect == ()


def test_each_action_class_says_its_key_and_who_does_it() -> None:
    facilitator = {key for key, cls in ACTIONS.items() if cls.by_facilitator}
    assert facilitator == {"advance_clock", "act", "misbehave", "suspend", "reinstate"}
    assert list(ACTIONS) == ["open", "search", "open_sheet", "connect", "refuse_connection",
                             "narrow", "change_duration", "revoke", "switch_space", "press",
                             "advance_clock", "act", "misbehave", "suspend", "reinstate"]
    assert list(EXPECTATIONS) == ["section", "text", "no_text", "notification", "grant",
                                  "exchange", "no_exchange"]
    assert Act(service="x").service == Suspend(service="x").service == "x"


def test_a_scenario_dumps_back_to_the_shape_it_was_read_from() -> None:
    scenario = load_text(FULL, "scenarios/full.yaml")
    dumped = scenario.model_dump(mode="json")
    assert Scenario.model_validate(dumped).model_dump(mode="json") == dumped
    assert "line" not in dumped["steps"][0]
    step = scenario.steps[1].model_dump(mode="json", exclude_defaults=True)
    assert step["do"] == {"connect": "grossesse-sereine",
                          "refuse": ["measures/blood_pressure/read", "documents/*/read"],
                          "duration": "revocation"}
    assert step["expect"][0]["grant"]["status"] == "active"


# --- permissions -------------------------------------------------------------------------------


def test_a_permission_gives_back_its_parts_and_its_text() -> None:
    weight = Permission.parse("measures/body_weight/write")
    assert (weight.data_class, weight.subtype, weight.access) == ("measures", "body_weight",
                                                                  "write")
    assert str(weight) == "measures/body_weight/write" and not weight.whole_class
    every = Permission.parse("documents/*/read")
    assert every.whole_class
    assert every.covers("documents", "biologie", "read")
    assert not every.covers("documents", "biologie", "write")
    assert not weight.covers("measures", "bmi", "write")
    assert {weight, Permission("measures", "body_weight", "write")} == {weight}


# --- variants ----------------------------------------------------------------------------------


def test_a_list_of_mailles_runs_the_scenario_once_per_value() -> None:
    scenario = load_text(HEAD.replace("  patient: camille.martin\n",
                                      "  patient: camille.martin\n"
                                      "  maille: [categorie, type, ressource]\n")
                         + "  - {title: a, notes: b}\n")
    variants = scenario.variants()
    assert [v.variant for v in variants] == ["maille=categorie", "maille=type",
                                            "maille=ressource"]
    assert [v.start.maille for v in variants] == ["categorie", "type", "ressource"]
    assert all(v.steps == scenario.steps and v.title == scenario.title for v in variants)
    assert variants[0].line_of("steps[0]") == 7


def test_one_maille_is_its_own_only_variant() -> None:
    scenario = load_text(scenario_text("- {title: a, notes: b}\n"))
    assert scenario.variants() == [scenario]
    assert scenario.variants()[0].variant is None


# --- faults, each with its line ----------------------------------------------------------------


BAD_STEPS = [
    pytest.param("- title: a\n  notes: b\n  do: {conect: x}\n", 8, "steps[0].do",
                 "action « conect » inconnue (vouliez-vous dire « connect » ?) ; actions : "
                 "open, search, open_sheet", id="unknown-action"),
    pytest.param("- title: a\n  notes: b\n  do:\n    connect: x\n    duraton: 6m\n", 10,
                 "steps[0].do.duraton", "champ inconnu « duraton » (vouliez-vous dire "
                 "« duration » ?) ; champs possibles : connect, refuse, duration",
                 id="unknown-action-option"),
    pytest.param("- title: a\n  notes: b\n  colour: red\n", 8, "steps[0].colour",
                 "champ inconnu « colour »", id="unknown-step-field"),
    pytest.param("- notes: b\n  do: {open: store}\n", 6, "steps[0].title",
                 "champ obligatoire « title » absent", id="missing-title"),
    pytest.param("- title: a\n  do: {open: store}\n", 6, "steps[0].notes",
                 "champ obligatoire « notes » absent", id="missing-notes"),
    pytest.param("- title: '  '\n  notes: b\n", 6, "steps[0].title",
                 "ne doit pas être vide", id="blank-title"),
    pytest.param("- title: a\n  notes: b\n  do:\n    connect: x\n    refuse:\n"
                 "      - measures/body_weight/read\n      - measures/poids/read\n", 12,
                 "steps[0].do.refuse[1]", "permission « measures/poids/read » : sous-type "
                 "« poids » inconnu pour measures", id="bad-permission-subtype"),
    pytest.param("- title: a\n  notes: b\n  do: {narrow: x, remove: [measures/body_weight]}\n",
                 8, "steps[0].do.remove[0]", "permission « measures/body_weight » mal écrite",
                 id="bad-permission-shape"),
    pytest.param("- title: a\n  notes: b\n  do: {connect: x, refuse: [sante/all/read]}\n", 8,
                 "steps[0].do.refuse[0]", "classe « sante » inconnue", id="bad-permission-class"),
    pytest.param("- title: a\n  notes: b\n  do: {connect: x, refuse: [agenda/all/delete]}\n",
                 8, "steps[0].do.refuse[0]", "l'accès est read ou write",
                 id="bad-permission-access"),
    pytest.param("- title: a\n  notes: b\n  do: {connect: x, duration: 2m}\n", 8,
                 "steps[0].do.duration", "valeur « 2m » inconnue ; valeurs possibles : 1m, 6m, "
                 "1y, revocation", id="bad-grant-duration"),
    pytest.param("- title: a\n  notes: b\n  do: {advance_clock: demain}\n", 8,
                 "steps[0].do.advance_clock", "« demain » n'est pas une durée",
                 id="bad-clock-jump"),
    pytest.param("- title: a\n  notes: b\n  do: {advance_clock: 40d}\n", 8,
                 "steps[0].do.advance_clock", "31 jours au plus", id="clock-jump-too-long"),
    pytest.param("- title: a\n  notes: b\n  do: {open: store, search: x}\n", 8, "steps[0].do",
                 "une seule action par étape", id="two-actions"),
    pytest.param("- title: a\n  notes: b\n  do: open store\n", 8, "steps[0].do",
                 "« do » est un dictionnaire dont la clé nomme l'action", id="action-not-mapping"),
    pytest.param("- title: a\n  notes: b\n  do: {open: stores}\n", 8, "steps[0].do.open",
                 "valeur « stores » inconnue ; valeurs possibles : home, store, data",
                 id="unknown-section"),
    pytest.param("- title: a\n  notes: b\n  expect:\n    - txt: x\n", 9, "steps[0].expect[0]",
                 "vérification « txt » inconnue (vouliez-vous dire « text » ?)",
                 id="unknown-expectation"),
    pytest.param("- title: a\n  notes: b\n  expect:\n    - grant:\n        service: x\n"
                 "        statut: active\n", 11, "steps[0].expect[0].grant.statut",
                 "champ inconnu « statut » (vouliez-vous dire « status » ?)",
                 id="unknown-grant-field"),
    pytest.param("- title: a\n  notes: b\n  expect:\n    - grant: {service: x}\n", 9,
                 "steps[0].expect[0].grant", "dites ce qui doit être vrai",
                 id="grant-checking-nothing"),
    pytest.param("- title: a\n  notes: b\n  expect:\n    - exchange: {service: x, "
                 "data: mesures}\n", 9, "steps[0].expect[0].exchange.data",
                 "données « mesures » inconnues", id="bad-exchange-data"),
    pytest.param("- title: a\n  notes: b\n  expect:\n    - exchange: {service: x, count: 0}\n",
                 9, "steps[0].expect[0].exchange.count", "doit être au moins 1",
                 id="zero-count"),
    pytest.param("- title: a\n  notes: b\n  timeout: -1\n", 8, "steps[0].timeout",
                 "doit être plus grand que 0", id="negative-timeout"),
    pytest.param("- title: a\n  notes: b\n  line: 3\n", 8, "steps[0].line",
                 "champ inconnu « line »", id="line-is-not-written"),
    pytest.param("- title: a\n  notes: b\n  title: c\n", 8, "steps[0].title",
                 "la clé « title » figure deux fois", id="key-twice"),
    pytest.param("- open store\n", 6, "steps[0]", "doit être un dictionnaire (clé : valeur)",
                 id="step-not-mapping"),
]


@pytest.mark.parametrize(("steps", "line", "where", "fragment"), BAD_STEPS)
def test_a_fault_in_a_step_is_told_with_its_line_and_place(steps: str, line: int, where: str,
                                                           fragment: str) -> None:
    problems = problems_of(scenario_text(steps))
    assert len(problems) == 1, problems
    assert problems[0][:2] == (line, where)
    assert fragment in problems[0][2]


BAD_STARTS = [
    pytest.param("  maille: grain\n", 5, "start.maille",
                 "maille « grain » inconnue : categorie, type ou ressource", id="bad-maille"),
    pytest.param("  maille: [type, type]\n", 5, "start.maille", "maille « [type, type] »",
                 id="maille-twice"),
    pytest.param("  clock: fast\n", 5, "start.clock", "l'horloge est paused, running ou "
                 "{speed: 60}", id="bad-clock"),
    pytest.param("  clock: {speed: 0}\n", 5, "start.clock.speed", "doit être plus grand que 0",
                 id="clock-speed-zero"),
    pytest.param("  services:\n    - service: x\n      duration: forever\n", 7,
                 "start.services[0].duration", "valeur « forever » inconnue", id="bad-duration"),
    pytest.param("  services:\n    - service: x\n    - service: x\n", 6, "start.services",
                 "x connecté(s) deux fois au départ", id="service-twice"),
    pytest.param("  for: ''\n", 5, "start.for", "ne doit pas être vide", id="empty-for"),
]


@pytest.mark.parametrize(("start", "line", "where", "fragment"), BAD_STARTS)
def test_a_fault_in_the_start_is_told_with_its_line_and_place(start: str, line: int,
                                                              where: str, fragment: str) -> None:
    text = HEAD.replace("  patient: camille.martin\n",
                        "  patient: camille.martin\n" + start) + "  - {title: a, notes: b}\n"
    problems = problems_of(text)
    assert len(problems) == 1, problems
    assert problems[0][:2] == (line, where)
    assert fragment in problems[0][2]


WHOLE_FILE = [
    pytest.param("", 1, "", "le fichier est vide", id="empty"),
    pytest.param("# rien\n\n", 1, "", "le fichier est vide", id="only-comments"),
    pytest.param("- a\n- b\n", 1, "", "le fichier doit être un dictionnaire",
                 id="not-a-mapping"),
    pytest.param("format: 1\ntitle: [a\nstart: x\n", 3, "", "YAML invalide",
                 id="yaml-syntax"),
    pytest.param("format: 1\n\ttitle: a\n", 2, "", "YAML invalide", id="yaml-tab"),
    pytest.param("format: 2\ntitle: t\nstart: {patient: a}\nsteps: [{title: a, notes: b}]\n",
                 1, "format", "format « 2 » inconnu : ce programme lit le format 1",
                 id="unknown-format"),
    pytest.param("format: 1\ntitle: t\nstart: {patient: a}\nsteps: []\n", 4, "steps",
                 "au moins 1", id="no-steps"),
    pytest.param("format: 1\ntitle: t\nsteps: [{title: a, notes: b}]\n", 1, "start",
                 "champ obligatoire « start » absent", id="no-start"),
    pytest.param("format: 1\ntittle: t\ntitle: t\nstart: {patient: a}\n"
                 "steps: [{title: a, notes: b}]\n", 2, "tittle",
                 "champ inconnu « tittle » (vouliez-vous dire « title » ?)", id="unknown-top"),
    pytest.param("format: 1\ntitle: t\nstart: {patient: a b}\nsteps: [{title: a, notes: b}]\n",
                 3, "start.patient", "un identifiant s'écrit sans espace", id="patient-space"),
]


@pytest.mark.parametrize(("text", "line", "where", "fragment"), WHOLE_FILE)
def test_a_fault_of_the_whole_file_is_told_with_its_line(text: str, line: int, where: str,
                                                         fragment: str) -> None:
    problems = problems_of(text)
    assert len(problems) == 1, problems
    assert problems[0][:2] == (line, where)
    assert fragment in problems[0][2]


def test_every_fault_of_a_file_is_listed_in_line_order() -> None:
    text = scenario_text("""\
        - title: a
          do: {conect: x}
        - title: b
          notes: c
          do: {connect: x, refuse: [measures/poids/read]}
          expect:
            - grant: {service: x, statut: active}
        """).replace("  patient: camille.martin\n", "  patient: camille.martin\n  maille: x\n")
    problems = problems_of(text)
    assert [(line, where) for line, where, _ in problems] == [
        (5, "start.maille"), (7, "steps[0].notes"), (8, "steps[0].do"),
        (11, "steps[1].do.refuse[0]"), (13, "steps[1].expect[0].grant.statut")]


def test_the_error_prints_one_line_per_problem_with_file_and_line() -> None:
    with pytest.raises(ScenarioError) as caught:
        load_text(scenario_text("- title: a\n  notes: b\n  do: {conect: x}\n"),
                  "scenarios/x.yaml")
    text = str(caught.value)
    assert text.startswith("scenarios/x.yaml, ligne 8 : steps[0].do : action « conect » "
                           "inconnue")
    assert len(text.splitlines()) == 1
    assert caught.value.path == "scenarios/x.yaml"


def test_english_readers_get_english_messages() -> None:
    problems = problems_of(scenario_text("- title: a\n  do: {conect: x}\n"), lang="en")
    assert problems == [
        (6, "steps[0].notes", 'required field "notes" is missing'),
        (7, "steps[0].do", 'unknown action "conect" (did you mean "connect"?); actions: '
                           "open, search, open_sheet, connect, refuse_connection, narrow, "
                           "change_duration, revoke, switch_space, press, advance_clock, act, "
                           "misbehave, suspend, reinstate"),
    ]
    with pytest.raises(ScenarioError) as caught:
        load_text("", "x.yaml", "en")
    assert str(caught.value) == "x.yaml, line 1: the file is empty; a scenario starts with " \
                                '"format: 1"'


def test_a_missing_file_or_a_folder_is_told_without_a_line(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as missing:
        load_scenario(tmp_path / "absent.yaml")
    assert str(missing.value) == f"{tmp_path / 'absent.yaml'} : fichier introuvable"
    with pytest.raises(ScenarioError) as folder:
        load_scenario(tmp_path)
    assert "c'est un dossier" in str(folder.value)
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("title: Pesée".encode("latin-1"))
    with pytest.raises(ScenarioError) as encoding:
        load_scenario(latin)
    assert encoding.value.problems[0].line is None
    assert "UTF-8" in str(encoding.value)


def test_a_file_is_read_from_disk_with_its_path_in_messages(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text(FULL, encoding="utf-8")
    assert load_scenario(path).title == "Première connexion"
    path.write_text(FULL.replace("duration: 1y", "duration: 2y"), encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert str(caught.value).startswith(f"{path}, ligne 15 : start.services[0].duration : ")


def test_python_code_builds_the_same_models_by_field_name() -> None:
    built = Connect(service="pesee-claire", refuse=("measures/body_height/read",),
                    duration="1m")
    assert built.refuse == (Permission("measures", "body_height", "read"),)
    assert ChangeDuration(service="x", duration="1y").duration == "1y"
    assert GrantState(service="x", status="none").status == "none"
    with pytest.raises(ValueError, match="status none"):
        GrantState(service="x", status="none", allows=("measures/body_weight/read",))


SMALLEST_ACTIONS = {
    "open": "{open: home}", "search": "{search: balance}", "open_sheet": "{open_sheet: x}",
    "connect": "{connect: x}", "refuse_connection": "{refuse_connection: x}",
    "narrow": "{narrow: x, remove: [agenda/all/read]}",
    "change_duration": "{change_duration: x, duration: 1y}", "revoke": "{revoke: x}",
    "switch_space": "{switch_space: self}", "press": "{press: [tab, enter]}",
    "advance_clock": "{advance_clock: 12h}", "act": "{act: x}", "misbehave": "{misbehave: x}",
    "suspend": "{suspend: x}", "reinstate": "{reinstate: x}",
}


@pytest.mark.parametrize("key", list(ACTIONS))
def test_every_action_key_reads_into_its_own_class(key: str) -> None:
    scenario = load_text(scenario_text(f"- title: a\n  notes: b\n  do: {SMALLEST_ACTIONS[key]}\n"))
    action = scenario.steps[0].do
    assert type(action) is ACTIONS[key] and action.kind == key
    dumped = scenario.steps[0].model_dump(mode="json")["do"]
    assert next(iter(dumped)) == key
