"""Documents: content moved to a Binary, Binary read in both forms, searches by type and group."""

from __future__ import annotations

import base64
import hashlib

import pytest
from fhir.resources.R4B.binary import Binary
from fhir.resources.R4B.documentreference import DocumentReference

from mock_server.reference import DOCUMENT_GROUP_SYSTEM, document_types
from tests.fhir.conftest import auth, document, group_token, write_headers

PDF = b"%PDF-1.4\n% ordonnance de kinesitherapie\n"


async def _create(client, token: str, payload: dict) -> dict:
    response = await client.post(
        "/fhir/DocumentReference", json=payload, headers=write_headers(token)
    )
    assert response.status_code == 201, response.text
    return response.json()


async def test_document_content_is_stored_as_a_binary(client, camille_token, patient_ids):
    doc = await _create(client, camille_token, document(PDF, content_type="application/pdf"))
    DocumentReference.model_validate(doc)
    attachment = doc["content"][0]["attachment"]
    assert "data" not in attachment
    assert attachment["url"].startswith("Binary/")
    assert attachment["size"] == len(PDF)
    assert attachment["hash"] == base64.b64encode(hashlib.sha1(PDF).digest()).decode()
    response = await client.get(f"/fhir/{attachment['url']}", headers=auth(camille_token))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/fhir+json; charset=utf-8"
    binary = response.json()
    Binary.model_validate(binary)
    assert binary["contentType"] == "application/pdf"
    assert binary["securityContext"] == {"reference": f"Patient/{patient_ids['pregnancy']}"}
    assert base64.b64decode(binary["data"]) == PDF


async def test_binary_raw_bytes_when_accept_names_its_content_type(client, camille_token):
    doc = await _create(client, camille_token, document(PDF, content_type="application/pdf"))
    url = f"/fhir/{doc['content'][0]['attachment']['url']}"
    raw = await client.get(url, headers={**auth(camille_token), "Accept": "application/pdf"})
    assert raw.status_code == 200
    assert raw.content == PDF
    assert raw.headers["content-type"] == "application/pdf"
    assert raw.headers["x-content-type-options"] == "nosniff"
    refused = await client.get(url, headers={**auth(camille_token), "Accept": "image/png"})
    assert refused.status_code == 406


async def test_document_category_gets_class_code_and_group(client, camille_token):
    doc_type = document_types()[0]
    doc = await _create(client, camille_token, document(type_index=0))
    codings = [c for concept in doc["category"] for c in concept["coding"]]
    assert {"system": doc_type.class_system, "code": doc_type.class_code} in [
        {"system": c["system"], "code": c["code"]} for c in codings
    ]
    assert {"system": DOCUMENT_GROUP_SYSTEM, "code": doc_type.group.key} in [
        {"system": c["system"], "code": c["code"]} for c in codings
    ]
    assert doc["date"] == "2026-11-26T09:30:00.000Z"


async def test_documents_search_by_group_class_and_type(client, camille_token):
    # Two types of different groups; search in 2030 to leave seeded documents aside.
    first, other = (
        document_types()[0],
        next(d for d in document_types() if d.group != document_types()[0].group),
    )
    payload = document(type_index=0) | {"date": "2030-02-01T10:00:00+01:00"}
    mine = await _create(client, camille_token, payload)
    other_index = document_types().index(other)
    await _create(
        client,
        camille_token,
        document(type_index=other_index) | {"date": "2030-02-02T10:00:00+01:00"},
    )

    async def ids(**params) -> list[str]:
        bundle = (
            await client.get(
                "/fhir/DocumentReference",
                headers=auth(camille_token),
                params={"date": "ge2030-01-01", **params},
            )
        ).json()
        return [e["resource"]["id"] for e in bundle.get("entry", [])]

    assert await ids(category=group_token(first.group.key)) == [mine["id"]]
    assert await ids(category=first.group.key) == [mine["id"]]
    assert mine["id"] in await ids(category=f"{first.class_system}|{first.class_code}")
    assert await ids(type=f"{first.type_system}|{first.type_code}") == [mine["id"]]
    assert len(await ids()) == 2


@pytest.mark.parametrize(
    ("change", "expression"),
    [
        (
            {"type": {"coding": [{"system": "http://loinc.org", "code": "00000-0"}]}},
            "DocumentReference.type",
        ),
        ({"status": "draft"}, "DocumentReference.status"),
        ({"docStatus": "done"}, "DocumentReference.docStatus"),
        (
            {
                "content": [
                    {"attachment": {"contentType": "text/plain", "url": "https://evil.example/x"}}
                ]
            },
            "DocumentReference.content[0].attachment.url",
        ),
        (
            {"content": [{"attachment": {"contentType": "text/plain"}}]},
            "DocumentReference.content[0].attachment.data",
        ),
        (
            {"content": [{"attachment": {"data": "aGVsbG8="}}]},
            "DocumentReference.content[0].attachment.contentType",
        ),
        (
            {"category": [{"coding": [{"system": DOCUMENT_GROUP_SYSTEM, "code": "biologie"}]}]},
            "DocumentReference.category",
        ),
    ],
)
async def test_documents_breaking_a_rule_are_422(client, camille_token, change, expression):
    response = await client.post(
        "/fhir/DocumentReference", json=document() | change, headers=write_headers(camille_token)
    )
    assert response.status_code == 422, response.text
    assert response.json()["issue"][0]["expression"] == [expression]


async def test_invalid_base64_is_422(client, camille_token):
    payload = document()
    payload["content"][0]["attachment"]["data"] = "pas du base64 !"
    response = await client.post(
        "/fhir/DocumentReference", json=payload, headers=write_headers(camille_token)
    )
    assert response.status_code == 422


async def test_other_patients_binary_is_404(client, camille_token, karim_token):
    doc = await _create(client, karim_token, document())
    response = await client.get(
        f"/fhir/{doc['content'][0]['attachment']['url']}", headers=auth(camille_token)
    )
    assert response.status_code == 404


async def test_seeded_document_reads_and_its_content_is_served_raw(client, camille_token):
    bundle = (
        await client.get(
            "/fhir/DocumentReference", params={"_count": 1}, headers=auth(camille_token)
        )
    ).json()
    doc = bundle["entry"][0]["resource"]
    read = await client.get(f"/fhir/DocumentReference/{doc['id']}", headers=auth(camille_token))
    assert read.json() == doc
    attachment = doc["content"][0]["attachment"]
    raw = await client.get(
        f"/fhir/{attachment['url']}",
        headers={**auth(camille_token), "Accept": attachment["contentType"].split(";")[0]},
    )
    assert raw.status_code == 200
    assert raw.headers["content-type"].startswith(attachment["contentType"].split(";")[0])
    assert len(raw.content) > 0
