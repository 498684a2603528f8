"""The synthetic DMP documents: complete, valid FHIR, coherent with each persona, deterministic."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta

import pytest
from faker import Faker
from fhir.resources.R4B.binary import Binary
from fhir.resources.R4B.documentreference import DocumentReference

from mock_server.reference import DOCUMENT_GROUP_SYSTEM, document_types
from mock_server.seed import document_codes as code
from mock_server.seed import seed_anchor, stream
from mock_server.seed.documents import PDSM_PROFILE, build_documents
from mock_server.seed.patients import SeedPatient, build_patients
from mock_server.storage.resources import parse_fhir_datetime, record_for

SEED = 2026
NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
TYPES = {t.type_code: t for t in document_types()}


def _population(seed: int) -> list[SeedPatient]:
    faker = Faker("fr_FR")
    faker.seed_instance(seed)
    return build_patients(stream(seed, "patients"), faker)


def _documents(seed: int, now: datetime = NOW) -> list[tuple[str, dict]]:
    return build_documents(stream(seed, "documents"), _population(seed), seed_anchor(now))


@pytest.fixture(scope="module")
def population() -> list[SeedPatient]:
    return _population(SEED)


@pytest.fixture(scope="module")
def resources() -> list[tuple[str, dict]]:
    return _documents(SEED)


@pytest.fixture(scope="module")
def references(resources) -> list[tuple[str, dict]]:
    return [(pid, r) for pid, r in resources if r["resourceType"] == "DocumentReference"]


@pytest.fixture(scope="module")
def binaries(resources) -> dict[str, tuple[str, dict]]:
    return {r["id"]: (pid, r) for pid, r in resources if r["resourceType"] == "Binary"}


def _text(binary: dict) -> str:
    return base64.b64decode(binary["data"]).decode("utf-8")


def _binary_of(reference: dict, binaries: dict) -> tuple[str, dict]:
    return binaries[reference["content"][0]["attachment"]["url"].removeprefix("Binary/")]


def _type_code(reference: dict) -> str:
    return reference["type"]["coding"][0]["code"]


def _persona(population: list[SeedPatient], key: str) -> SeedPatient:
    return next(p for p in population if p.persona.key == key)


def test_named_type_codes_are_exactly_the_34_reference_types():
    named = {v for k, v in vars(code).items() if k.isupper()}
    assert named == set(TYPES)
    assert len(TYPES) == 34


def test_every_document_type_appears_at_least_once(references):
    assert {_type_code(r) for _, r in references} == set(TYPES)


def test_each_patient_has_8_to_14_documents_in_at_least_3_groups(population, references):
    groups: dict[str, set[str]] = defaultdict(set)
    counts = Counter(pid for pid, _ in references)
    for pid, ref in references:
        groups[pid].add(TYPES[_type_code(ref)].group.key)
    for patient in population:
        assert 8 <= counts[patient.id] <= 14, patient.persona.key
        assert len(groups[patient.id]) >= 3, patient.persona.key


def test_every_resource_validates_with_fhir_r4b(resources):
    for _, res in resources:
        model = DocumentReference if res["resourceType"] == "DocumentReference" else Binary
        model.model_validate(res)


def test_each_reference_points_at_a_binary_of_the_same_patient_with_matching_size_and_hash(
    references, binaries
):
    assert len(binaries) == len(references)
    for pid, ref in references:
        binary_pid, binary = _binary_of(ref, binaries)
        content = base64.b64decode(binary["data"])
        attachment = ref["content"][0]["attachment"]
        assert binary_pid == pid
        assert binary["securityContext"] == {"reference": f"Patient/{pid}"}
        assert ref["subject"]["reference"] == f"Patient/{pid}"
        assert attachment["size"] == len(content)
        assert base64.b64decode(attachment["hash"]) == hashlib.sha1(content).digest()
        assert attachment["contentType"] == "text/plain; charset=utf-8"
        assert attachment["language"] == "fr-FR"


def test_text_names_the_patient_and_birth_date_and_carries_the_title(
    population, references, binaries
):
    by_id = {p.id: p for p in population}
    for pid, ref in references:
        text = _text(_binary_of(ref, binaries)[1])
        persona = by_id[pid].persona
        assert persona.family.casefold() in text.casefold()
        assert persona.birth_date.strftime("%d/%m/%Y") in text
        assert ref["description"] in text
        assert ref["content"][0]["attachment"]["title"] == ref["description"]


def test_type_class_and_group_codes_match_the_reference_for_the_type(references):
    for _, ref in references:
        doc_type = TYPES[_type_code(ref)]
        assert ref["type"]["coding"] == [{
            "system": doc_type.type_system,
            "code": doc_type.type_code,
            "display": doc_type.type_display,
        }]
        class_coding, group_coding = (c["coding"][0] for c in ref["category"])
        assert (class_coding["system"], class_coding["code"]) == (
            doc_type.class_system, doc_type.class_code
        )
        assert group_coding == {
            "system": DOCUMENT_GROUP_SYSTEM,
            "code": doc_type.group.key,
            "display": doc_type.group.label,
        }
        assert ref["meta"]["profile"] == [PDSM_PROFILE]
        assert (ref["status"], ref["docStatus"]) == ("current", "final")


def test_record_for_indexes_each_reference_under_its_group_type_and_class(references):
    anchor = seed_anchor(NOW)
    for pid, ref in references:
        doc_type = TYPES[_type_code(ref)]
        row = record_for(ref, patient_id=pid, last_updated=anchor)
        assert row["subtype"] == doc_type.group.key
        assert row["code"] == f"{doc_type.type_system}|{doc_type.type_code}"
        assert row["category"] == f"{doc_type.class_system}|{doc_type.class_code}"
        assert row["effective"] == parse_fhir_datetime(ref["date"])


@pytest.mark.parametrize(
    "now",
    [NOW, datetime(2027, 3, 2, 8, tzinfo=UTC), datetime(2026, 6, 14, 22, tzinfo=UTC)],
    ids=["november", "march", "june"],
)
def test_every_date_is_before_the_anchor_whatever_the_day(now):
    anchor = seed_anchor(now)
    for _, ref in _documents(SEED, now):
        if ref["resourceType"] != "DocumentReference":
            continue
        moments = [ref["date"], ref["content"][0]["attachment"]["creation"],
                   *ref["context"]["period"].values()]
        for moment in moments:
            assert parse_fhir_datetime(moment) < anchor, (ref["description"], moment)


def test_dates_carry_the_paris_offset(references):
    for _, ref in references:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00", ref["date"])


def test_no_two_documents_share_a_text(binaries):
    texts = [_text(binary) for _, binary in binaries.values()]
    assert len(set(texts)) == len(texts)


def test_every_text_has_10_to_40_lines(binaries):
    for _, binary in binaries.values():
        assert 10 <= len(_text(binary).splitlines()) <= 40


_EXPECTED_WORDS = {
    code.PRESCRIPTION_MEDICAMENTS: [
        r"ORDONNANCE",
        r"\d+ (comprimé|gélule|sachet|ampoule|bouffées?)",
        r"par jour|matin et soir|toutes les \d+ heures|prise unique",
    ],
    code.BIOLOGIE: [r"Prélèvement", r"\d(,\d+)? (g/L|g/dL|mmol/L|µmol/L|UI/mL|%)"],
    code.ANATOMOPATHOLOGIE: [r"macroscopique", r"microscopique", r"CONCLUSION"],
    code.IMAGERIE: [r"Indication", r"Conclusion"],
    code.URGENCES: [r"Arrivée le", r"Diagnostic", r"Sortie"],
    code.OPERATOIRE: [r"Opérateur", r"Incident"],
    code.ANESTHESIE: [r"ASA", r"rachianesthésie"],
    code.CONSULTATION_PRE_ANESTHESIQUE: [r"ASA", r"Mallampati"],
    code.ACCOUCHEMENT: [r"Apgar", r"Délivrance"],
    code.ACTE_PREVENTIF: [r"Vaccin administré", r"Lot : \w+"],
    code.BILAN_PERTE_AUTONOMIE: [r"AGGIR", r"GIR \d"],
    code.RCP: [r"Participants", r"Décisions"],
    code.LETTRE_DE_LIAISON_SORTIE: [r"Traitement de sortie", r"médecin traitant"],
    code.DISPENSATION_MEDICAMENTEUSE: [r"boîtes?", r"Ordonnance du"],
    code.PROTOCOLE_ALD: [r"ALD n° 8"],
    code.GENETIQUE_MOLECULAIRE: [r"ADN", r"Fraction fœtale"],
    code.CONSULTATION: [r"Motif", r"Conclusion"],
    code.TELEMEDECINE: [r"[Tt]éléconsultation", r"consentement recueilli"],
}


@pytest.mark.parametrize("type_code", sorted(_EXPECTED_WORDS))
def test_texts_say_what_their_kind_of_document_says(type_code, references, binaries):
    texts = [_text(_binary_of(r, binaries)[1]) for _, r in references
             if _type_code(r) == type_code]
    assert texts
    for text in texts:
        for pattern in _EXPECTED_WORDS[type_code]:
            assert re.search(pattern, text), (type_code, pattern)


def test_delivery_report_is_sophies_and_dated_on_leos_birth(population, references):
    deliveries = [(pid, r) for pid, r in references if _type_code(r) == code.ACCOUCHEMENT]
    leo = _persona(population, "child").persona
    assert [pid for pid, _ in deliveries] == [_persona(population, "parent").id]
    assert parse_fhir_datetime(deliveries[0][1]["context"]["period"]["end"]).date() == (
        leo.birth_date
    )


def test_pregnant_patient_has_scans_and_labs_but_no_delivery(population, references):
    camille = _persona(population, "pregnancy").id
    kinds = Counter(_type_code(r) for pid, r in references if pid == camille)
    assert kinds[code.IMAGERIE] >= 2 and kinds[code.BIOLOGIE] >= 2
    assert kinds[code.ACCOUCHEMENT] == 0


def test_knee_replacement_stay_documents_are_from_the_last_three_weeks(population, references):
    thomas = _persona(population, "discharged").id
    stay = {code.ADMISSION, code.OPERATOIRE, code.ANESTHESIE, code.HOSPITALISATION,
            code.LETTRE_DE_LIAISON_SORTIE}
    anchor = seed_anchor(NOW)
    found = [r for pid, r in references if pid == thomas and _type_code(r) in stay]
    assert {_type_code(r) for r in found} == stay
    for ref in found:
        assert anchor - timedelta(days=21) <= parse_fhir_datetime(ref["date"]) < anchor


def test_child_documents_name_his_legal_representative(population, references, binaries):
    leo = _persona(population, "child").id
    for pid, ref in references:
        if pid == leo:
            assert "Représentante légale : Sophie Dubois (mère)" in _text(
                _binary_of(ref, binaries)[1]
            )


def test_each_patient_keeps_the_same_professionals_and_shares_none(references):
    authors: dict[str, set[str]] = defaultdict(set)
    for pid, ref in references:
        authors[pid].add(ref["author"][0]["display"])
    for pid, names in authors.items():
        assert len(names) < Counter(p for p, _ in references)[pid]
        for other, other_names in authors.items():
            assert other == pid or not names & other_names


def test_outpatient_visits_fall_on_working_days(references):
    visits = {code.CONSULTATION, code.DEPISTAGE, code.PRESCRIPTION_AUTRE, code.TELEMEDECINE}
    for _, ref in references:
        if _type_code(ref) in visits:
            day: date = parse_fhir_datetime(ref["date"]).date()
            assert day.weekday() < 5, ref["description"]


def test_same_seed_gives_identical_documents_and_another_seed_different_ones():
    first = json.dumps(_documents(SEED), ensure_ascii=False)
    assert json.dumps(_documents(SEED), ensure_ascii=False) == first
    assert json.dumps(_documents(SEED + 1), ensure_ascii=False) != first
