"""The reference data shipped in the package is the shared specification data, unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mock_server import reference

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "reference"
PACKAGED = Path(reference.__file__).parent


@pytest.mark.parametrize("name", ["document_types.json", "measures.json"])
def test_packaged_reference_file_equals_the_shared_one(name: str) -> None:
    if not (SHARED / name).exists():
        pytest.skip("shared/ is not beside this checkout")
    assert json.loads((PACKAGED / name).read_text()) == json.loads((SHARED / name).read_text())


def test_reference_lists_34_document_types_in_6_groups_and_10_measures() -> None:
    assert len(reference.document_types()) == 34
    assert {d.group.key for d in reference.document_types()} == {
        g.key for g in reference.document_groups()
    }
    assert len(reference.document_groups()) == 6
    assert len(reference.measure_types()) == 10


def test_bmi_is_not_writable_and_blood_pressure_has_two_components() -> None:
    measures = reference.measure_by_key()
    assert not measures["bmi"].writable
    assert all(m.writable for k, m in measures.items() if k != "bmi")
    assert [c.loinc_code for c in measures["blood_pressure"].components] == ["8480-6", "8462-4"]


def test_bmi_formula() -> None:
    assert reference.compute_bmi(70.0, 175) == 22.9
