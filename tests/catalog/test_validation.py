"""A broken catalogue file is refused at load with French errors naming file, service and field."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from mock_server import catalog as catalog_package
from mock_server.catalog import CatalogError, load_catalog, loader

Mutation = Callable[[dict[str, Any]], None]


def _service(data: dict[str, Any], service_id: str) -> dict[str, Any]:
    return next(s for s in data["services"] if s["id"] == service_id)


def _set(service_id: str, *path: str | int, value: Any) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        target: Any = _service(data, service_id)
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return mutate


def _delete(service_id: str, field: str) -> Mutation:
    return lambda data: _service(data, service_id).pop(field)


def _append_copy(service_id: str) -> Mutation:
    return lambda data: data["services"].append(dict(_service(data, service_id)))


def _retarget_autonomy(data: dict[str, Any]) -> None:
    for service in data["services"]:
        service["use_cases"] = [u for u in service["use_cases"] if u != "autonomie"] or ["mesures"]


BROKEN = {
    "unknown measure key": (
        _set("pesee-claire", "permissions", 0, "subtype", value="poids"),
        "pesee-claire", "permissions[0].subtype", "mesure « poids » inconnue"),
    "BMI write": (
        _set("pesee-claire", "permissions", 3, "access", value="write"),
        "pesee-claire", "permissions[3].access", "calculée par la plateforme"),
    "duplicate id": (
        _append_copy("grossesse-sereine"),
        "grossesse-sereine", "id", "identifiant déjà utilisé par le service n° 7"),
    "missing field": (
        _delete("onco-lien", "hosting"),
        "onco-lien", "hosting", "champ obligatoire absent"),
    "unknown document group": (
        _set("vacci-memo", "permissions", 0, "subtype", value="vaccins"),
        "vacci-memo", "permissions[0].subtype", "groupe de documents « vaccins » inconnu"),
    "agenda subtype": (
        _set("rdv-sante-facile", "permissions", 0, "subtype", value="body_weight"),
        "rdv-sante-facile", "permissions[0].subtype", "l'agenda se partage en entier"),
    "unknown use case": (
        _set("nuits-douces", "use_cases", value=["sommeil"]),
        "nuits-douces", "use_cases[0]", "valeur « sommeil » inconnue ; valeurs possibles : "
                                        "suivi-pathologie, grossesse"),
    "editor outside the EU": (
        _set("pas-a-pas", "editor", "country", value="US"),
        "pas-a-pas", "editor.country", "valeur « US » inconnue"),
    "empty reason": (
        _set("tensio-suivi", "permissions", 1, "reason", value="  "),
        "tensio-suivi", "permissions[1].reason", "ne doit pas être vide"),
    "uncertified host without a note": (
        _set("pilulier-malin", "hosting", "note", value=None),
        "pilulier-malin", "hosting.note", "expliquez pourquoi"),
    "suspension without a reason": (
        _set("classeur-sante", "referencing", "note", value=None),
        "classeur-sante", "referencing.note", "donnez le motif"),
    "paid service without a price": (
        _delete("medivisio", "price_note"),
        "medivisio", "price_note", "service payant ou freemium"),
    "bad date": (
        _set("medivisio", "referencing", "date", value="12/03/2024"),
        "medivisio", "referencing.date", "date ISO AAAA-MM-JJ"),
    "real web address": (
        _set("medivisio", "terms_url", value="https://www.example.com/cgu"),
        "medivisio", "terms_url", "https://medivisio.example.fr/"),
    "wrong redirect path": (
        _set("medivisio", "redirect_path", value="/callback"),
        "medivisio", "redirect_path", "/services/medivisio/callback"),
    "misspelt field": (
        _set("medivisio", "hds", value=True),
        "medivisio", "hds", "champ inconnu"),
    "string boolean": (
        _set("medivisio", "hosting", "hds_certified", value="oui"),
        "medivisio", "hosting.hds_certified", "true ou false"),
}


@pytest.mark.parametrize("case", BROKEN)
def test_broken_catalogue_error_names_file_service_and_field(
    case: str, raw_catalog: dict[str, Any], write_catalog: Callable[[Any], Path],
) -> None:
    mutate, service_id, field, reason = BROKEN[case]
    mutate(raw_catalog)
    path = write_catalog(raw_catalog)

    with pytest.raises(CatalogError) as caught:
        load_catalog(path)

    line = next(p for p in caught.value.problems if f"« {field} »" in p)
    assert f"service « {service_id} »" in line
    assert reason in line
    assert str(path) in str(caught.value)
    assert f"- {path} : {line}" in str(caught.value)


def test_unknown_service_in_broken_sheet_is_named_by_position(
    raw_catalog: dict[str, Any], write_catalog: Callable[[Any], Path],
) -> None:
    del raw_catalog["services"][4]["id"]
    with pytest.raises(CatalogError) as caught:
        load_catalog(write_catalog(raw_catalog))
    assert any("service sans identifiant (n° 5), champ « id » : champ obligatoire absent" in p
               for p in caught.value.problems)


def test_uncovered_use_case_is_refused(raw_catalog: dict[str, Any],
                                       write_catalog: Callable[[Any], Path]) -> None:
    _retarget_autonomy(raw_catalog)
    with pytest.raises(CatalogError) as caught:
        load_catalog(write_catalog(raw_catalog))
    assert caught.value.problems == [
        "champ « use_cases » : aucun service ne couvre le cas d'usage « autonomie »"]


def test_bad_json_syntax_names_file_and_line(write_catalog: Callable[[Any], Path]) -> None:
    path = write_catalog('{\n  "services": [\n    {"id": "x",}\n  ]\n}\n')
    with pytest.raises(CatalogError) as caught:
        load_catalog(path)
    assert caught.value.path == path.resolve()
    [problem] = caught.value.problems
    assert problem.startswith("JSON invalide ligne 3, colonne 16 (")
    assert str(path) in str(caught.value)


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="introuvable"):
        load_catalog(tmp_path / "absent.json")


def test_file_that_is_not_a_catalogue_object_is_refused(
    write_catalog: Callable[[Any], Path],
) -> None:
    with pytest.raises(CatalogError) as caught:
        load_catalog(write_catalog("[]"))
    assert caught.value.problems == ["catalogue : doit être un objet JSON"]


def test_install_refuses_to_start_with_a_broken_catalogue(
    raw_catalog: dict[str, Any], write_catalog: Callable[[Any], Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _delete("onco-lien", "recourse")(raw_catalog)
    monkeypatch.setattr(loader, "DEFAULT_CATALOG_PATH", write_catalog(raw_catalog))
    with pytest.raises(CatalogError, match="onco-lien"):
        catalog_package.install(FastAPI())
