"""The French texts of the synthetic documents: one story per persona, keyed by persona.

Each story returns `DraftDocument`s (type code, title, date, author, body) written from the
persona's facts and the random stream; `documents.py` turns them into Binary + DocumentReference.
"""

from __future__ import annotations

from collections.abc import Callable

from mock_server.seed.document_layout import DraftDocument, StoryContext
from mock_server.seed.document_texts_autonomy import autonomy_documents
from mock_server.seed.document_texts_diabetes import diabetes_documents
from mock_server.seed.document_texts_discharged import discharged_documents
from mock_server.seed.document_texts_family import child_documents, parent_documents
from mock_server.seed.document_texts_pregnancy import pregnancy_documents

Story = Callable[[StoryContext], list[DraftDocument]]

STORIES: dict[str, Story] = {
    "pregnancy": pregnancy_documents,
    "diabetes": diabetes_documents,
    "autonomy": autonomy_documents,
    "parent": parent_documents,
    "child": child_documents,
    "discharged": discharged_documents,
}
"""persona key -> the story that writes that persona's documents."""
