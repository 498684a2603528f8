"""Synthetic DMP documents: for each, a Binary (the French text) and a DocumentReference to it.

The stories of `document_texts.py` write the documents; this module renders their text and
describes them as the ANS PDSm profile does: XDS typeCode in `type`, XDS classCode plus the
patient-facing group in `category`, size and SHA-1 of the content in the attachment.
"""

from __future__ import annotations

import base64
import hashlib
import random
from datetime import datetime
from functools import cache

from mock_server.reference import DOCUMENT_GROUP_SYSTEM, DocumentType, document_types
from mock_server.seed.document_cast import NamePool, care_team
from mock_server.seed.document_layout import DraftDocument, StoryContext, render_text
from mock_server.seed.document_texts import STORIES
from mock_server.seed.patients import REPRESENTATIONS, SeedPatient, seeded_uuid

PDSM_PROFILE = (
    "https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition/"
    "pdsm-comprehensive-document-reference"
)
"""Canonical of PDSm_ComprehensiveDocumentReference as published by ANS (PDSm IG 3.x)."""

ATTACHMENT_CONTENT_TYPE = "text/plain; charset=utf-8"
_CONFIDENTIALITY = {
    "system": "http://terminology.hl7.org/CodeSystem/v3-Confidentiality",
    "code": "N",
    "display": "normal",
}


def build_documents(
    rng: random.Random, population: list[SeedPatient], anchor: datetime
) -> list[tuple[str, dict]]:
    """(patient id, resource) pairs: a Binary then its DocumentReference, per document.

    Each patient's documents come in date order; everything is drawn from `rng`, so the same
    stream and anchor give the same resources, byte for byte.
    """
    names = NamePool(rng)
    guardians = _guardians(population)
    out: list[tuple[str, dict]] = []
    for patient in population:
        key = patient.persona.key
        ctx = StoryContext(patient, anchor, rng, care_team(rng, names, key), guardians.get(key))
        for draft in sorted(STORIES[key](ctx), key=lambda d: d.when):
            text = render_text(draft, patient, ctx.guardian)
            binary, reference = document_resources(rng, patient, draft, text)
            out += [(patient.id, binary), (patient.id, reference)]
    return out


def document_resources(
    rng: random.Random, patient: SeedPatient, draft: DraftDocument, text: str
) -> tuple[dict, dict]:
    """The Binary holding `text` and the DocumentReference describing it."""
    content = text.encode("utf-8")
    binary_id, reference_id, unique_id = seeded_uuid(rng), seeded_uuid(rng), seeded_uuid(rng)
    binary = {
        "resourceType": "Binary",
        "id": binary_id,
        "contentType": "text/plain",
        "securityContext": {"reference": f"Patient/{patient.id}"},
        "data": base64.b64encode(content).decode("ascii"),
    }
    doc_type = _type_by_code()[draft.type_code]
    period = {"start": _instant(draft.act_start or draft.when)}
    if draft.act_end is not None:
        period["end"] = _instant(draft.act_end)
    reference = {
        "resourceType": "DocumentReference",
        "id": reference_id,
        "meta": {"profile": [PDSM_PROFILE]},
        "masterIdentifier": {"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{unique_id}"},
        "status": "current",
        "docStatus": "final",
        "type": {"coding": [{
            "system": doc_type.type_system,
            "code": doc_type.type_code,
            "display": doc_type.type_display,
        }]},
        "category": _categories(doc_type),
        "subject": {"reference": f"Patient/{patient.id}", "display": patient.display_name},
        "date": _instant(draft.when),
        "author": [{"display": draft.author.author_display}],
        "custodian": {"display": draft.author.place},
        "description": draft.title,
        "securityLabel": [{"coding": [_CONFIDENTIALITY]}],
        "content": [{"attachment": {
            "contentType": ATTACHMENT_CONTENT_TYPE,
            "language": "fr-FR",
            "url": f"Binary/{binary_id}",
            "size": len(content),
            "hash": base64.b64encode(hashlib.sha1(content).digest()).decode("ascii"),
            "title": draft.title,
            "creation": _instant(draft.when),
        }}],
        "context": {"period": period},
    }
    return binary, reference


def _categories(doc_type: DocumentType) -> list[dict]:
    """XDS classCode first (TRE_A03), then the group the patient sees the document in."""
    return [
        {"coding": [{
            "system": doc_type.class_system,
            "code": doc_type.class_code,
            "display": doc_type.class_display,
        }]},
        {"coding": [{
            "system": DOCUMENT_GROUP_SYSTEM,
            "code": doc_type.group.key,
            "display": doc_type.group.label,
        }]},
    ]


@cache
def _type_by_code() -> dict[str, DocumentType]:
    """Type code -> document type (LOINC and TRE_A05 codes never collide)."""
    return {t.type_code: t for t in document_types()}


def _instant(moment: datetime) -> str:
    """A FHIR instant with the Paris offset, to the second."""
    return moment.replace(microsecond=0).isoformat(timespec="seconds")


def _guardians(population: list[SeedPatient]) -> dict[str, SeedPatient]:
    """persona key of a represented patient -> the patient who represents them (when both are
    in `population`: a copy of one persona's family is built without the others)."""
    by_username = {p.persona.username: p for p in population if p.persona.username}
    return {child: by_username[user] for user, child, _ in REPRESENTATIONS if user in by_username}
