"""Documents a service writes: a DocumentReference of a DMP type with its French text inline
(base64), which the platform moves to a Binary, as the documents API expects.

The author is drawn once per (service, patient) from the seed's name pool, so the same doctor
signs every document the service writes for that patient.
"""

from __future__ import annotations

import base64
from functools import cache

from pydantic import BaseModel, ConfigDict, Field, field_validator

from mock_server.catalog import Permission
from mock_server.reference import DocumentType, document_types
from mock_server.seed.document_cast import NamePool, Practitioner
from mock_server.seed.document_layout import DraftDocument, render_text
from mock_server.seed.documents import PDSM_PROFILE
from mock_server.simulation.generators.base import Generator, GeneratorContext, PlannedRequest
from mock_server.simulation.generators.document_texts import TEMPLATES
from mock_server.simulation.schedule import stable_random

CONTENT_TYPE = "text/plain; charset=utf-8"


class DocumentParams(BaseModel):
    """Which document, written where (and by whom, if not the template's usual author)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    template: str
    place: str = Field(min_length=3, max_length=200)
    """The establishment or practice that signs it (« CHU des Belles-Rives, orthopédie »)."""
    role: str | None = Field(default=None, min_length=3, max_length=100)

    @field_validator("template")
    @classmethod
    def _known(cls, name: str) -> str:
        if name not in TEMPLATES:
            raise ValueError(f"modèle de document « {name} » inconnu ; modèles possibles : "
                             f"{', '.join(TEMPLATES)}.")
        return name


@cache
def _types() -> dict[str, DocumentType]:
    return {doc_type.type_code: doc_type for doc_type in document_types()}


def document_type(params: DocumentParams) -> DocumentType:
    return _types()[TEMPLATES[params.template].type_code]


def _author(ctx: GeneratorContext, params: DocumentParams) -> Practitioner:
    template = TEMPLATES[params.template]
    given, family, female = NamePool(stable_random(f"{ctx.identity_key}|auteur")).draw()
    return Practitioner(given, family, female, template.is_doctor, params.role or template.role,
                        params.place)


def _instant(ctx: GeneratorContext) -> str:
    return ctx.at.replace(microsecond=0).isoformat(timespec="seconds")


def build(ctx: GeneratorContext, params: DocumentParams) -> list[PlannedRequest]:
    doc_type = document_type(params)
    author = _author(ctx, params)
    text = TEMPLATES[params.template].write(ctx, author)
    draft = DraftDocument(doc_type.type_code, text.title, ctx.at, author, tuple(text.body),
                          text.act_start, text.act_end)
    content = render_text(draft, ctx.facts.patient, ctx.facts.guardian).encode("utf-8")
    period = {key: value.replace(microsecond=0).isoformat(timespec="seconds")
              for key, value in (("start", text.act_start or ctx.at), ("end", text.act_end))
              if value is not None}
    reference = {
        "resourceType": "DocumentReference",
        "meta": {"profile": [PDSM_PROFILE]},
        "status": "current",
        "docStatus": "final",
        "type": {"coding": [{"system": doc_type.type_system, "code": doc_type.type_code,
                             "display": doc_type.type_display}]},
        "subject": {"reference": f"Patient/{ctx.facts.id}"},
        "date": _instant(ctx),
        "author": [{"display": author.author_display}],
        "custodian": {"display": params.place},
        "description": text.title,
        "content": [{"attachment": {
            "contentType": CONTENT_TYPE,
            "language": "fr-FR",
            "data": base64.b64encode(content).decode("ascii"),
            "title": text.title,
            "creation": _instant(ctx),
        }}],
        "context": {"period": period},
    }
    return [PlannedRequest("POST", "DocumentReference", reference,
                           summary=f"dépose « {text.title} »")]


DOCUMENT_GENERATOR = Generator(
    "document",
    "Dépose un document du DMP (texte en français) écrit à partir du dossier du patient.",
    build,
    lambda params: Permission(data_class="documents", subtype=document_type(params).group.key,
                              access="write"),
    DocumentParams,
)
