"""What happened, as Textual messages named in the past tense.

Workers post them when a network call ends; screens and the app react. Tests watch them through
`run_test(message_hook=...)`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:  # annotations only: the client's models load when a screen needs them
    from pathlib import Path

    from ens_consent_tui.client.events import Event
    from ens_consent_tui.client.exchanges import ExchangeDetail, ExchangePage
    from ens_consent_tui.client.grants import Grant, GrantDetail
    from ens_consent_tui.client.records import Agenda, Appointment, Document, MeasurePoint
    from ens_consent_tui.client.services import Connection
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


# --- live events and the exchange log ----------------------------------------------------------


class EventsReceived(Message, bubble=False):
    """A batch of the live feed's events for the space `patient_id`, oldest first.

    The app posts one every 100–250 ms at most (however fast events come), shows the toasts,
    then forwards a copy to each section screen: handle `on_events_received` in a screen and
    ignore batches of another space. It does not bubble (the forwarded copies stay where they
    are sent).
    """

    def __init__(self, patient_id: str, events: list[Event]) -> None:
        super().__init__()
        self.patient_id = patient_id
        self.events = events


class ConnectionLost(Message):
    """The live feed cannot reach the server; it tries again in `retry_in` seconds."""

    def __init__(self, retry_in: float, reason: str) -> None:
        super().__init__()
        self.retry_in = retry_in
        self.reason = reason

    def can_replace(self, message: Message) -> bool:
        """A later connection message waiting in the queue supersedes this one: only the
        latest state matters."""
        return isinstance(message, ConnectionLost | ConnectionRestored)


class ConnectionRestored(Message):
    """The live feed reaches the server again (missed events follow)."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ConnectionLost | ConnectionRestored)


class ExchangesLoaded(Message):
    """A page of the exchange log (the newest, or an older one: `older`)."""

    def __init__(self, patient_id: str, page: ExchangePage, older: bool) -> None:
        super().__init__()
        self.patient_id = patient_id
        self.page = page
        self.older = older


class ExchangeOpened(Message):
    def __init__(self, detail: ExchangeDetail) -> None:
        super().__init__()
        self.detail = detail


class ExchangesExported(Message):
    """An export was saved at `path`."""

    def __init__(self, path: Path, fmt: str) -> None:
        super().__init__()
        self.path = path
        self.fmt = fmt


# --- connecting services and the register of grants --------------------------------------------


class ServiceConnected(Message):
    """The patient allowed a service, and the service received its code (`connection.result`
    says with which scopes)."""

    def __init__(self, connection: Connection) -> None:
        super().__init__()
        self.connection = connection


class ConsentRefused(Message):
    """The patient refused to connect a service: nothing is shared."""

    def __init__(self, service_id: str, service_name: str) -> None:
        super().__init__()
        self.service_id = service_id
        self.service_name = service_name


class GrantsLoaded(Message):
    """The register of the space `patient_id` (every grant, whatever its status)."""

    def __init__(self, patient_id: str, grants: tuple[Grant, ...]) -> None:
        super().__init__()
        self.patient_id = patient_id
        self.grants = grants


class GrantDetailLoaded(Message):
    """One grant with its history."""

    def __init__(self, detail: GrantDetail) -> None:
        super().__init__()
        self.detail = detail


class GrantChanged(Message):
    """The patient changed a grant in this app: `change` is `narrowed`, `duration_changed`,
    `excluded` or `revoked`; `grant` is the grant as it is now."""

    def __init__(self, grant: Grant, change: str) -> None:
        super().__init__()
        self.grant = grant
        self.change = change


class ServiceNamesLoaded(Message):
    """Client id → service name, to say which service wrote a value."""

    def __init__(self, names: dict[str, str]) -> None:
        super().__init__()
        self.names = names
