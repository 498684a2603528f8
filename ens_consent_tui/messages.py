"""What happened, as Textual messages named in the past tense.

Workers post them when a network call ends; screens and the app react. Tests watch them through
`run_test(message_hook=...)`.
"""

from __future__ import annotations

from textual.message import Message

from ens_consent_tui.client.records import Agenda, Appointment, Document, MeasurePoint
from ens_consent_tui.client.session import Session
from ens_consent_tui.client.store import CodeLabel, ServiceList, ServiceSheet


class SignedIn(Message):
    """A session opened (login, resumed session, or another space chosen)."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session


class SignedOut(Message):
    """The session ended: tokens revoked (or expired) and forgotten."""

    def __init__(self, expired: bool = False) -> None:
        super().__init__()
        self.expired = expired


class LoginRefused(Message):
    """Wrong identifier or password."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class ServerChecked(Message):
    """The login screen checked the server: reachable or not."""

    def __init__(self, reachable: bool) -> None:
        super().__init__()
        self.reachable = reachable


class ServicesFound(Message):
    """A store search answered."""

    def __init__(self, query: str, result: ServiceList) -> None:
        super().__init__()
        self.query = query
        self.result = result


class VocabularyLoaded(Message):
    """The store's use cases and kinds of offerors, in the app's language."""

    def __init__(self, use_cases: list[CodeLabel], offeror_kinds: list[CodeLabel]) -> None:
        super().__init__()
        self.use_cases = use_cases
        self.offeror_kinds = offeror_kinds


class ServiceSheetLoaded(Message):
    def __init__(self, sheet: ServiceSheet) -> None:
        super().__init__()
        self.sheet = sheet


class HomeSectionLoaded(Message):
    """One section of the home screen has its data."""

    def __init__(self, section_id: str, data: object) -> None:
        super().__init__()
        self.section_id = section_id
        self.data = data


class DocumentsLoaded(Message):
    def __init__(self, documents: list[Document]) -> None:
        super().__init__()
        self.documents = documents


class DocumentOpened(Message):
    def __init__(self, document: Document, text: str) -> None:
        super().__init__()
        self.document = document
        self.text = text


class MeasuresLoaded(Message):
    def __init__(self, series: dict[str, list[MeasurePoint]]) -> None:
        super().__init__()
        self.series = series


class AgendaLoaded(Message):
    def __init__(self, agenda: Agenda) -> None:
        super().__init__()
        self.agenda = agenda


class MeasureAdded(Message):
    def __init__(self, point: MeasurePoint) -> None:
        super().__init__()
        self.point = point


class AppointmentAdded(Message):
    def __init__(self, appointment: Appointment) -> None:
        super().__init__()
        self.appointment = appointment
