"""The public store API: list and search services, read one sheet, list the vocabularies.

No token is needed: the store is what a patient browses before deciding anything. Every bad
input is a 400 JSON problem naming what is accepted; an unknown service is a 404 problem.
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from mock_server.catalog.labels import LABELS, LANGUAGES
from mock_server.catalog.models import OfferorKind, UseCase, codes
from mock_server.catalog.schemas import CodeLabel, ServiceDetail, ServiceList, ServiceSummary
from mock_server.catalog.search import CatalogIndex, parse_query
from mock_server.problems import Problem

router = APIRouter(prefix="/store", tags=["store"])


def catalog_index(request: Request) -> CatalogIndex:
    """The searchable catalogue mounted on this app by `install`."""
    return request.app.state.catalog_index


@router.get("/services", response_model=ServiceList)
def list_services(request: Request) -> ServiceList:
    """Services sorted by name. `q`: words to find (accents and case ignored) in the name, editor,
    descriptions and use cases. Filters, repeatable or comma-separated: `use_case`, `data_class`,
    `access`, `pricing`, `platform`."""
    query = parse_query(request.query_params.multi_items())
    found = catalog_index(request).search(query)
    return ServiceList(total=len(found), services=[ServiceSummary.of(s) for s in found])


@router.get("/services/{service_id}", response_model=ServiceDetail)
def read_service(request: Request, service_id: str) -> ServiceDetail:
    """The full sheet; each permission comes with its scope and the sentence shown to the
    patient (`lang`: fr or en)."""
    lang = _language(request)
    service = catalog_index(request).catalog.get(service_id)
    if service is None:
        raise Problem(404, "Service inconnu", f"Aucun service « {service_id} » dans le catalogue.")
    return ServiceDetail.of(service, lang)


@router.get("/use-cases", response_model=list[CodeLabel])
def list_use_cases(request: Request) -> list[CodeLabel]:
    """The use cases of the call for applications, with their labels (`lang`: fr or en)."""
    return _vocabulary("use_cases", codes(UseCase), _language(request))


@router.get("/offeror-kinds", response_model=list[CodeLabel])
def list_offeror_kinds(request: Request) -> list[CodeLabel]:
    """The kinds of offerors, with their labels (`lang`: fr or en)."""
    return _vocabulary("offeror_kinds", codes(OfferorKind), _language(request))


def _vocabulary(section: str, values: tuple[str, ...], lang: str) -> list[CodeLabel]:
    return [CodeLabel(code=code, label=LABELS[lang][section][code]) for code in values]


def _language(request: Request) -> str:
    """The `lang` parameter (default fr), after refusing any other parameter."""
    for name in request.query_params:
        if name != "lang":
            raise Problem(400, "Paramètre inconnu",
                          f"Le paramètre « {name} » n'existe pas ; paramètre possible : lang.")
    values = request.query_params.getlist("lang")
    if len(values) > 1:
        raise Problem(400, "Paramètre répété",
                      "Le paramètre « lang » ne peut être donné qu'une fois.")
    lang = values[0] if values else "fr"
    if lang not in LANGUAGES:
        raise Problem(400, "Langue inconnue", f"Langue « {lang} » non prise en charge ; "
                      f"langues possibles : {', '.join(LANGUAGES)}.")
    return lang
