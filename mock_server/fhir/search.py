"""Searches: parameters (strict: anything unknown is a 400 naming what is supported), SQL on the
indexed columns, and searchset Bundles spliced from the stored JSON text (never re-parsed).

Paging follows the Mon espace santé API: `_count` 1..100 (default 50) and `_offset`; `_sort` is
`date` or `-date` (default `-date`, newest first). Dates compare in UTC; a date or dateTime
without a time zone is read as UTC.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from sqlalchemy import ColumnElement, Connection, and_, bindparam, false, func, or_, select

from mock_server.fhir.errors import FhirError, bad_request
from mock_server.fhir.responses import dumps
from mock_server.fhir.tokens import TOKEN_PARAMS, Condition
from mock_server.fhir.validation import referenced_patient
from mock_server.reference import DOCUMENT_GROUP_SYSTEM
from mock_server.storage.resources import fhir_instant
from mock_server.storage.schema import resources

DEFAULT_COUNT = 50
MAX_COUNT = 100
MAX_OFFSET = 1_000_000
MAX_VALUES = 50
"""OR-values (commas and repeats together) one search may carry."""
MAX_VALUE_LENGTH = 300
CONTROL_PARAMS = ("_count", "_offset", "_sort", "_format")


@dataclass(frozen=True)
class SearchParam:
    """A search parameter as the CapabilityStatement lists it."""

    name: str
    type: str
    documentation: str


_PATIENT_DOC = "Le patient du jeton (Patient/<id> ou <id>) ; un autre patient donne un Bundle vide."
_DATE_DOC = (
    "Préfixes eq, ge, gt, le, lt ; AAAA, AAAA-MM, AAAA-MM-JJ ou dateTime (UTC si pas de fuseau)."
)
SEARCH_PARAMS: dict[str, tuple[SearchParam, ...]] = {
    "Observation": (
        SearchParam(
            "code", "token", "Code LOINC de la mesure : système|code ou code ; virgule = OU."
        ),
        SearchParam("category", "token", "Catégorie (vital-signs)."),
        SearchParam("date", "date", f"Date de la mesure (effectiveDateTime). {_DATE_DOC}"),
        SearchParam("patient", "reference", _PATIENT_DOC),
        SearchParam("subject", "reference", _PATIENT_DOC),
    ),
    "DocumentReference": (
        SearchParam("type", "token", "Type de document (typeCode XDS, LOINC)."),
        SearchParam(
            "category",
            "token",
            f"Classe XDS (classCode) ou groupe d'affichage ({DOCUMENT_GROUP_SYSTEM}|<groupe>).",
        ),
        SearchParam("date", "date", f"Date du document. {_DATE_DOC}"),
        SearchParam("patient", "reference", _PATIENT_DOC),
        SearchParam("subject", "reference", _PATIENT_DOC),
    ),
    "Appointment": (
        SearchParam("status", "token", "Statut : proposed, booked, cancelled…"),
        SearchParam("date", "date", f"Début du rendez-vous. {_DATE_DOC}"),
        SearchParam("patient", "reference", _PATIENT_DOC),
    ),
}


@dataclass
class SearchQuery:
    """A parsed search: SQL conditions, paging, and the parameters to repeat in paging links."""

    conditions: list[Condition] = field(default_factory=list)
    other_patient: bool = False
    count: int = DEFAULT_COUNT
    offset: int = 0
    descending: bool = True
    kept: list[tuple[str, str]] = field(default_factory=list)


_YEAR_MONTH_DAY = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_DATE_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?P<seconds>:\d{2}(?:\.\d{1,9})?)?(?P<zone>Z|[+-]\d{2}:\d{2})?"
)
_DATE_PREFIX = re.compile(r"(eq|ne|gt|lt|ge|le|sa|eb|ap)?(.*)", re.S)
_UNSIGNED = re.compile(r"\d{1,7}")


def _date_range(text: str) -> tuple[datetime, datetime | None]:
    """[start, end) of a FHIR date or dateTime at its own precision (end None past year 9999)."""
    match = _YEAR_MONTH_DAY.fullmatch(text)
    if match:
        year, month, day = (int(g) if g else None for g in match.groups())
        start = datetime(year, month or 1, day or 1, tzinfo=UTC)
        if day:
            return start, _safe_add(start, timedelta(days=1))
        if month:
            return start, _safe_replace(start, year + (month == 12), month % 12 + 1)
        return start, _safe_replace(start, year + 1, 1)
    match = _DATE_TIME.fullmatch(text)
    if not match:
        raise ValueError(text)
    start = datetime.fromisoformat(text.replace("Z", "+00:00"))
    start = start if start.tzinfo else start.replace(tzinfo=UTC)
    step = timedelta(seconds=1) if match["seconds"] else timedelta(minutes=1)
    return start.astimezone(UTC), _safe_add(start.astimezone(UTC), step)


def _safe_add(start: datetime, step: timedelta) -> datetime | None:
    try:
        return start + step
    except OverflowError:
        return None


def _safe_replace(start: datetime, year: int, month: int) -> datetime | None:
    try:
        return start.replace(year=year, month=month)
    except ValueError:
        return None


def date_condition(value: str, column: ColumnElement = resources.c.effective) -> Condition:
    """The condition of one `date` value (`ge2026-11-01`, `2026-11`...) on `column` (default:
    the resource's effective time)."""
    prefix, text = _DATE_PREFIX.fullmatch(value).groups()
    prefix = prefix or "eq"
    if prefix not in ("eq", "ge", "le", "gt", "lt"):
        raise bad_request(
            f"Le préfixe de date « {prefix} » n'est pas pris en charge (eq, ge, gt, le, lt).",
            "not-supported",
        )
    try:
        start, end = _date_range(text)
    except ValueError as exc:
        raise bad_request(
            f"Date de recherche invalide « {value[:40]} » : formats acceptés AAAA, AAAA-MM, "
            "AAAA-MM-JJ ou AAAA-MM-JJThh:mm:ss+hh:mm, avec un préfixe facultatif (ge2026-11-01).",
            "value",
        ) from exc
    after_end = column >= end if end else false()
    before_end = column < end if end else column.is_not(None)
    return {
        "eq": and_(column >= start, before_end),
        "ge": column >= start,
        "gt": after_end,
        "le": before_end,
        "lt": column < start,
    }[prefix]


def _supported_names(resource_type: str) -> str:
    names = [p.name for p in SEARCH_PARAMS[resource_type]] + list(CONTROL_PARAMS)
    return ", ".join(names)


def bounded_int(values: list[str], name: str, low: int, high: int) -> int:
    """The one integer a parameter was given, within [low, high]; 400 saying so otherwise."""
    if len(values) != 1 or not _UNSIGNED.fullmatch(values[0]) or not low <= int(values[0]) <= high:
        raise bad_request(
            f"Le paramètre {name} doit être un entier entre {low} et {high}, donné une seule fois.",
            "value",
        )
    return int(values[0])


def group_parameters(
    items: list[tuple[str, str]], accepted: Collection[str], resource_type: str
) -> dict[str, list[str]]:
    """The query string grouped by name; 400 naming the accepted parameters for any other."""
    grouped: dict[str, list[str]] = {}
    for name, value in items:
        if name not in accepted:
            raise bad_request(
                f"Paramètre de recherche non pris en charge : « {name[:40]} ». Paramètres "
                f"acceptés pour {resource_type} : {', '.join(accepted)}.",
                "not-supported",
            )
        grouped.setdefault(name, []).append(value)
    return grouped


def paging(grouped: dict[str, list[str]], max_offset: int = MAX_OFFSET) -> tuple[int, int]:
    """`_count` (default 50, at most 100) and `_offset` of a grouped query string."""
    count = bounded_int(grouped["_count"], "_count", 1, MAX_COUNT) if "_count" in grouped \
        else DEFAULT_COUNT
    offset = bounded_int(grouped["_offset"], "_offset", 0, max_offset) if "_offset" in grouped \
        else 0
    return count, offset


def _control(query: SearchQuery, items: dict[str, list[str]]) -> None:
    query.count, query.offset = paging(items)
    if "_sort" in items:
        if items["_sort"] not in (["date"], ["-date"]):
            raise bad_request(
                "Le paramètre _sort accepte date (plus ancien d'abord) ou -date (plus "
                "récent d'abord).",
                "value",
            )
        query.descending = items["_sort"] == ["-date"]


def _values(name: str, raw: str) -> list[str]:
    values = raw.split(",")
    if any(not v for v in values) or any(len(v) > MAX_VALUE_LENGTH for v in values):
        raise bad_request(
            f"Le paramètre {name} a une valeur vide ou de plus de {MAX_VALUE_LENGTH} caractères.",
            "value",
        )
    return values


def _own_patient(values: list[str], patient_id: str, fhir_base: str) -> bool:
    return any(v == patient_id or referenced_patient(v, fhir_base) == patient_id for v in values)


def _condition_builder(resource_type: str, param: SearchParam) -> Callable[[str], Condition]:
    if param.type == "date":
        return date_condition
    return TOKEN_PARAMS[resource_type][param.name]


def parse_search(
    resource_type: str, items: list[tuple[str, str]], patient_id: str, fhir_base: str
) -> SearchQuery:
    """Read the query string of a search; 400 for anything unknown, empty or out of bounds."""
    known = {p.name: p for p in SEARCH_PARAMS[resource_type]}
    grouped: dict[str, list[str]] = {}
    for name, value in items:
        if name not in known and name not in CONTROL_PARAMS:
            raise bad_request(
                f"Paramètre de recherche non pris en charge : « {name[:40]} ». Paramètres acceptés "
                f"pour {resource_type} : {_supported_names(resource_type)}.",
                "not-supported",
            )
        grouped.setdefault(name, []).append(value)
    query = SearchQuery()
    _control(query, grouped)
    total_values = 0
    for name, raws in grouped.items():
        if name in CONTROL_PARAMS:
            continue
        param = known[name]
        for raw in raws:
            values = _values(name, raw)
            total_values += len(values)
            if total_values > MAX_VALUES:
                raise FhirError(
                    400,
                    "too-costly",
                    f"Recherche trop coûteuse : au plus {MAX_VALUES} "
                    "valeurs de paramètres par requête.",
                )
            query.kept.append((name, raw))
            if param.type == "reference":
                query.other_patient |= not _own_patient(values, patient_id, fhir_base)
            else:
                build = _condition_builder(resource_type, param)
                query.conditions.append(or_(*(build(v) for v in values)))
    return query


_IN_COMPARTMENT = (
    resources.c.patient_id == bindparam("patient_id"),
    resources.c.resource_type == bindparam("resource_type"),
)
# Built once: the statements are the same for every search but for their extra filters.
_PAGE = {
    descending: select(resources.c.id, resources.c.json)
    .where(*_IN_COMPARTMENT)
    .order_by(
        resources.c.effective.desc() if descending else resources.c.effective.asc(), resources.c.id
    )
    .limit(bindparam("limit"))
    .offset(bindparam("offset"))
    for descending in (True, False)
}
_COUNT = select(func.count()).select_from(resources).where(*_IN_COMPARTMENT)


def _page(
    conn: Connection,
    resource_type: str,
    patient_id: str,
    query: SearchQuery,
    constraint: Condition | None,
) -> tuple[list, int]:
    filters = [*query.conditions, *([constraint] if constraint is not None else [])]
    params = {"patient_id": patient_id, "resource_type": resource_type}
    page = _PAGE[query.descending]
    rows = conn.execute(
        page.where(*filters) if filters else page,
        {**params, "limit": query.count, "offset": query.offset},
    ).all()
    if not rows and query.offset == 0:
        return rows, 0
    if len(rows) < query.count and rows:
        return rows, query.offset + len(rows)
    total = conn.execute(_COUNT.where(*filters) if filters else _COUNT, params).scalar_one()
    return rows, total


def _link(relation: str, base: str, query: SearchQuery, offset: int) -> str:
    params = [*query.kept, ("_count", str(query.count)), ("_offset", str(offset))]
    if not query.descending:
        params.insert(len(query.kept), ("_sort", "date"))
    url = f"{base}?{urlencode(params)}"
    return f'{{"relation":"{relation}","url":{dumps(url)}}}'


def searchset(
    conn: Connection,
    resource_type: str,
    patient_id: str,
    query: SearchQuery,
    constraint: Condition | None,
    fhir_base: str,
    now: datetime,
) -> tuple[str, list[str]]:
    """The searchset Bundle text (stored resources spliced in as they are) and the ids returned."""
    rows, total = (
        ([], 0)
        if query.other_patient
        else _page(conn, resource_type, patient_id, query, constraint)
    )
    base = f"{fhir_base}/{resource_type}"
    links = [_link("self", base, query, query.offset)]
    if query.offset + query.count < total:
        links.append(_link("next", base, query, query.offset + query.count))
    if query.offset > 0:
        links.append(_link("previous", base, query, max(0, query.offset - query.count)))
    # Ids are FHIR ids ([A-Za-z0-9.-]): only the base needs JSON escaping, once per page.
    prefix = '{"fullUrl":' + dumps(f"{base}/")[:-1]
    entries = ",".join(
        f'{prefix}{row.id}","resource":{row.json},"search":{{"mode":"match"}}}}' for row in rows
    )
    # FHIR JSON forbids empty arrays: no `entry` at all when nothing matched.
    text = (
        f'{{"resourceType":"Bundle","id":"{uuid.uuid4()}",'
        f'"meta":{{"lastUpdated":"{fhir_instant(now)}"}},"type":"searchset","total":{total},'
        f'"link":[{",".join(links)}]' + (f',"entry":[{entries}]}}' if rows else "}")
    )
    return text, [row.id for row in rows]
