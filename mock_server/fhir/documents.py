"""Health documents (DocumentReference + Binary): the platform's rules for a written document.

The document's type is one of the 34 DMP types; its category carries the type's XDS classCode and
our display group (added when missing). Each `content.attachment` arrives with its bytes inline
(`data`, base64): the platform stores them as a `Binary` in the patient's compartment and rewrites
the attachment to `url: Binary/<id>` with `size` and `hash` (base64 SHA-1), as FHIR defines them.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from datetime import datetime

from mock_server.fhir.access import AccessContext
from mock_server.fhir.errors import invalid
from mock_server.fhir.store import new_id
from mock_server.fhir.validation import require_code, set_subject, validate_model
from mock_server.reference import (
    DOCUMENT_GROUP_SYSTEM,
    DocumentType,
    document_type_by_code,
    document_types,
)
from mock_server.storage.resources import fhir_instant

DOCUMENT_STATUSES = ("current", "superseded", "entered-in-error")
DOC_STATUSES = ("preliminary", "final", "amended", "entered-in-error")
_MIME = re.compile(r"[A-Za-z0-9][\w.+-]*/[A-Za-z0-9][\w.+-]*(\s*;.*)?")


def _document_type(resource: dict) -> DocumentType:
    codings = (resource.get("type") or {}).get("coding") or []
    for coding in codings:
        found = document_type_by_code().get((coding.get("system", ""), coding.get("code", "")))
        if found:
            return found
    sample = ", ".join(f"{d.type_code} ({d.label})" for d in document_types()[:3])
    raise invalid(
        "DocumentReference.type doit être l'un des 34 types de documents du DMP (codes LOINC de "
        f"reference/document_types.json, par exemple {sample}…).",
        "DocumentReference.type",
        "code-invalid",
    )


def _normalise_category(resource: dict, doc_type: DocumentType) -> None:
    """Check the category agrees with the type, then make it carry the classCode and the group."""
    class_coding = {
        "system": doc_type.class_system,
        "code": doc_type.class_code,
        "display": doc_type.class_display,
    }
    group_coding = {
        "system": DOCUMENT_GROUP_SYSTEM,
        "code": doc_type.group.key,
        "display": doc_type.group.label,
    }
    found_class = found_group = False
    for concept in resource.get("category") or []:
        for coding in concept.get("coding") or []:
            system, code = coding.get("system"), coding.get("code")
            if system == doc_type.class_system:
                if code != doc_type.class_code:
                    raise invalid(
                        f"DocumentReference.category : la classe {code} ne correspond pas au "
                        f"type {doc_type.type_code} (classe attendue {doc_type.class_code}).",
                        "DocumentReference.category",
                        "value",
                    )
                found_class = True
            elif system == DOCUMENT_GROUP_SYSTEM:
                if code != doc_type.group.key:
                    raise invalid(
                        f"DocumentReference.category : le groupe {code} ne correspond pas "
                        f"au type {doc_type.type_code} (groupe {doc_type.group.key}).",
                        "DocumentReference.category",
                        "value",
                    )
                found_group = True
    categories = list(resource.get("category") or [])
    if not found_class:
        categories.append({"coding": [class_coding]})
    if not found_group:
        categories.append({"coding": [group_coding]})
    resource["category"] = categories


def _attachment_bytes(attachment: dict, expression: str) -> bytes:
    if "url" in attachment:
        raise invalid(
            f"{expression}.url est refusé : envoyez le contenu lui-même dans data "
            "(base64) ; la plateforme ne va chercher aucun document ailleurs.",
            f"{expression}.url",
        )
    content_type = attachment.get("contentType")
    if not isinstance(content_type, str) or not _MIME.fullmatch(content_type):
        raise invalid(
            f"{expression}.contentType est obligatoire (type MIME, par exemple application/pdf).",
            f"{expression}.contentType",
            "required",
        )
    data = attachment.get("data")
    if not isinstance(data, str) or not data:
        raise invalid(
            f"{expression}.data est obligatoire : le contenu du document en base64.",
            f"{expression}.data",
            "required",
        )
    try:
        return base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise invalid(
            f"{expression}.data n'est pas du base64 valide.", f"{expression}.data", "value"
        ) from exc


def _store_content(resource: dict, patient_id: str) -> list[dict]:
    """Move every attachment's bytes to a new Binary; returns the Binaries to store."""
    binaries = []
    for index, content in enumerate(resource.get("content") or []):
        expression = f"DocumentReference.content[{index}].attachment"
        attachment = content["attachment"]
        raw = _attachment_bytes(attachment, expression)
        binary = {
            "resourceType": "Binary",
            "id": new_id(),
            "contentType": attachment["contentType"],
            "securityContext": {"reference": f"Patient/{patient_id}"},
            "data": attachment["data"],
        }
        binaries.append(binary)
        content["attachment"] = {
            **{key: value for key, value in attachment.items() if key != "data"},
            "url": f"Binary/{binary['id']}",
            "size": len(raw),
            "hash": base64.b64encode(hashlib.sha1(raw).digest()).decode(),
        }
    return binaries


def prepare_document(
    resource: dict, ctx: AccessContext, fhir_base: str, now: datetime
) -> list[dict]:
    """Check a document a client writes, set its subject, date and category, and move its
    content to Binaries (returned, each already carrying its id)."""
    validate_model(resource)
    set_subject(resource, ctx, fhir_base)
    require_code(resource.get("status"), DOCUMENT_STATUSES, "DocumentReference.status")
    require_code(
        resource.get("docStatus"), DOC_STATUSES, "DocumentReference.docStatus", required=False
    )
    doc_type = _document_type(resource)
    _normalise_category(resource, doc_type)
    resource.setdefault("date", fhir_instant(now))
    return _store_content(resource, ctx.patient_id)
