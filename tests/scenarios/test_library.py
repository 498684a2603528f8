"""The built-in library (`scenarios/*.yaml`): every journey loads, names only what the platform
really offers, and is written for a facilitator; and the name checks themselves."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from ens_consent_tui.client.console import FacilitatorTokenRefused
from ens_consent_tui.scenarios.loader import load_scenario, load_text
from ens_consent_tui.scenarios.model import Act, ExchangeSeen, Narrow, Permission
from ens_consent_tui.scenarios.names import (
    Account,
    KnownNames,
    check_names,
    fetch_known_names,
)

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = ROOT / "scenarios"
BROKEN = Path(__file__).parent / "data" / "etape-3-fausse.yaml"
FACILITATOR_TOKEN = "facilitator-test-token"
REQUIRED = ("grossesse-consentement-partiel", "balance-ecriture-revoquee",
            "sortie-hopital-documents", "rendez-vous-agenda", "expiration-autorisation",
            "suspension-autorite", "demande-hors-autorisation", "parent-espace-enfant",
            "meme-parcours-trois-mailles")
LIBRARY_FILES = sorted(LIBRARY.glob("*.yaml"))


def test_the_library_holds_every_journey_the_workshops_need() -> None:
    stems = {path.stem for path in LIBRARY_FILES}
    assert set(REQUIRED) <= stems


@pytest.mark.parametrize("path", LIBRARY_FILES, ids=lambda path: path.stem)
def test_each_library_journey_loads_and_is_written_for_a_facilitator(path: Path) -> None:
    scenario = load_scenario(path)
    assert 4 <= len(scenario.steps) <= 8
    assert scenario.description and scenario.lang == "fr"
    assert all(len(step.notes) >= 40 for step in scenario.steps), "notes say what to watch"
    assert all(step.expect for step in scenario.steps), "every step checks something"
    kinds = {type(e).__name__ for step in scenario.steps for e in step.expect}
    assert kinds & {"GrantState", "ExchangeSeen", "NoExchange"}, "checks the platform itself"


def test_the_three_mailles_journey_runs_once_per_granularity() -> None:
    scenario = load_scenario(LIBRARY / "meme-parcours-trois-mailles.yaml")
    assert [v.start.maille for v in scenario.variants()] == ["categorie", "type", "ressource"]


def test_the_parent_journey_acts_in_the_childs_space() -> None:
    scenario = load_scenario(LIBRARY / "parent-espace-enfant.yaml")
    assert (scenario.start.patient, scenario.start.for_) == ("sophie.dubois", "child")


async def test_every_library_journey_names_only_what_the_platform_offers(live_server) -> None:
    known = await fetch_known_names(live_server, FACILITATOR_TOKEN)
    assert known.accounts is not None and "sophie.dubois" in known.accounts
    assert known.accounts["sophie.dubois"].represents == ("child",)
    for path in [*LIBRARY_FILES, BROKEN]:
        assert await check_names(load_scenario(path), known) == [], path.name


def test_the_broken_journey_is_valid_but_its_step_3_expects_what_cannot_be() -> None:
    scenario = load_scenario(BROKEN)
    removed, acted = scenario.steps[1].do, scenario.steps[2].do
    assert isinstance(removed, Narrow) and isinstance(acted, Act)
    assert removed.remove == (Permission("measures", "body_weight", "write"),)
    (expected,) = scenario.steps[2].expect
    assert isinstance(expected, ExchangeSeen)
    assert (expected.service, expected.outcome, expected.access) == (acted.service, "allowed",
                                                                     "write")
    assert expected.data == "measures/body_weight"


def test_the_schema_accepts_every_library_file() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((LIBRARY / "scenario.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    for path in [*LIBRARY_FILES, BROKEN]:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert [error.message for error in validator.iter_errors(data)] == [], path.name
    wrong = yaml.safe_load("format: 1\ntitle: t\nstart: {patient: a}\n"
                           "steps: [{title: a, notes: b, do: {conect: x}}]\n")
    assert list(validator.iter_errors(wrong))


# --- checking names ----------------------------------------------------------------------------


KNOWN = KnownNames(
    services={
        "pesee-claire": (Permission("measures", "body_weight", "write"),
                         Permission("measures", "body_weight", "read"),
                         Permission("measures", "body_height", "read")),
        "rdv-sante-facile": (Permission("agenda", "all", "read"),
                             Permission("agenda", "all", "write")),
    },
    accounts={"camille.martin": Account("camille.martin", "Camille Martin"),
              "sophie.dubois": Account("sophie.dubois", "Sophie Dubois", ("child",))},
)

WITH_NAMES = """\
format: 1
title: Noms
start:
  patient: {patient}
  for: {for_}
  services:
    - service: pesee-claire
      refuse: [measures/bmi/read]
steps:
  - title: a
    notes: b
    do:
      connect: pese-claire
  - title: c
    notes: d
    do:
      narrow: rdv-sante-facile
      remove: [agenda/all/read, documents/*/read]
    expect:
      - grant: {{service: pesee-claire, denies: [measures/*/write, agenda/*/read]}}
      - exchange: {{service: inconnu}}
  - title: e
    notes: f
    do: {{switch_space: child}}
"""


async def test_each_unknown_name_is_told_with_its_place_line_and_the_valid_names() -> None:
    scenario = load_text(WITH_NAMES.format(patient="camille.martin", for_="child"), "n.yaml")
    problems = [(p.line, p.where, p.message) for p in await check_names(scenario, KNOWN)]
    assert problems == [
        (5, "start.for", "le compte « camille.martin » ne représente personne : pas d'espace "
                         "« child »"),
        (8, "start.services[0].refuse[0]", "pesee-claire ne demande pas « measures/bmi/read » ; "
                                           "il demande : measures/body_weight/write, "
                                           "measures/body_weight/read, measures/body_height/read"),
        (13, "steps[0].do.connect", "service « pese-claire » inconnu de la plateforme ; "
                                    "services : pesee-claire, rdv-sante-facile"),
        (18, "steps[1].do.remove[1]", "« documents/*/read » : rdv-sante-facile ne demande rien "
                                      "en documents avec l'accès read ; il demande : "
                                      "agenda/all/read, agenda/all/write"),
        (20, "steps[1].expect[0].grant.denies[1]", "« agenda/*/read » : pesee-claire ne "
                                                    "demande rien en agenda avec l'accès "
                                                    "read ; il demande : "
                                                    "measures/body_weight/write, "
                                                    "measures/body_weight/read, "
                                                    "measures/body_height/read"),
        (21, "steps[1].expect[1].exchange.service", "service « inconnu » inconnu de la "
                                                    "plateforme ; services : pesee-claire, "
                                                    "rdv-sante-facile"),
        (24, "steps[2].do.switch_space", "le compte « camille.martin » ne représente "
                                         "personne : pas d'espace « child »"),
    ]


async def test_an_unknown_account_is_listed_with_the_accounts() -> None:
    scenario = load_text(WITH_NAMES.format(patient="camile.martin", for_="child")
                         .replace("connect: pese-claire", "connect: pesee-claire"), "n.yaml")
    problems = await check_names(scenario, KNOWN)
    assert (problems[0].line, problems[0].where, problems[0].message) == (
        4, "start.patient", "compte « camile.martin » inconnu de la plateforme ; comptes : "
                            "camille.martin, sophie.dubois")
    assert all(p.where != "start.for" for p in problems), "no second fault for the same name"


async def test_a_representative_may_act_for_whom_they_represent() -> None:
    scenario = load_text(WITH_NAMES.format(patient="sophie.dubois", for_="child"), "n.yaml")
    wheres = [p.where for p in await check_names(scenario, KNOWN)]
    assert "start.for" not in wheres and "steps[2].do.switch_space" not in wheres
    other = load_text(WITH_NAMES.format(patient="sophie.dubois", for_="grand-parent"), "n.yaml")
    (told,) = [p for p in await check_names(other, KNOWN) if p.where == "start.for"]
    assert told.message == ("le compte « sophie.dubois » ne représente pas « grand-parent » ; "
                            "il représente : child")


async def test_a_long_list_of_services_is_cut_to_the_closest_names() -> None:
    many = {f"service-{n:02d}": () for n in range(30)} | {"pesee-claire": ()}
    scenario = load_text("format: 1\ntitle: t\nstart: {patient: a}\n"
                         "steps: [{title: a, notes: b, do: {act: pesee-clair}}]\n")
    (problem,) = await check_names(scenario, KnownNames(services=many))
    assert problem.message.startswith("service « pesee-clair » inconnu de la plateforme ; "
                                      "services : pesee-claire, ")
    assert problem.message.endswith("… et 26 autres")


async def test_without_the_accounts_only_services_are_checked() -> None:
    scenario = load_text(WITH_NAMES.format(patient="nobody", for_="child"), "n.yaml")
    problems = await check_names(scenario, KnownNames(services=KNOWN.services))
    assert not any(p.where.startswith(("start.patient", "start.for")) for p in problems)
    assert any(p.where == "steps[0].do.connect" for p in problems)


async def test_english_readers_get_the_name_problems_in_english() -> None:
    scenario = load_text(WITH_NAMES.format(patient="camille.martin", for_="child"), "n.yaml")
    (problem, *_) = await check_names(scenario, KNOWN, lang="en")
    assert problem.message == 'account "camille.martin" represents nobody: no "child" space'


async def test_a_wrong_facilitator_token_is_refused_by_the_console(live_server) -> None:
    with pytest.raises(FacilitatorTokenRefused):
        await fetch_known_names(live_server, "not-the-token")
    known = await fetch_known_names(live_server, None)
    assert known.accounts is None
    assert known.services["pesee-claire"][0] == Permission("measures", "body_weight", "write")
