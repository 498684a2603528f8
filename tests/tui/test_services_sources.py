"""Mes données: each measure says who wrote it (a service, the patient, or the initial data);
and the words of grants, their history and sources, checked without a server."""

from __future__ import annotations

from datetime import UTC, datetime

from textual.widgets import DataTable

from ens_consent_tui.client import NewMeasure
from ens_consent_tui.client.grants import GrantVersion
from ens_consent_tui.client.measures import measure_by_key
from ens_consent_tui.grant_wording import history_entries, source_label
from ens_consent_tui.i18n import Catalogue
from ens_consent_tui.messages import MeasuresLoaded, ServiceNamesLoaded
from tests.tui.conftest import seen, settle, sign_in_demo, wait_for
from tests.tui.services_support import connect_directly, facilitator, signed_in_client

T = Catalogue("fr")


async def test_each_measure_value_names_its_source(build_app, messages, live_server) -> None:
    await connect_directly(live_server, "camille.martin", "pesee-claire")
    await facilitator(live_server, "POST", "/admin/services/pesee-claire/act")
    own = await signed_in_client(live_server, "camille.martin")
    try:
        await own.fhir.add_measure(NewMeasure(measure_by_key()["body_weight"], (64.2,),
                                              datetime(2026, 11, 26, 8, 0, tzinfo=UTC)))
    finally:
        await own.aclose()
    app = build_app()
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await sign_in_demo(pilot, 1)
        await pilot.press("d", "2")
        await wait_for(pilot, lambda: seen(messages, MeasuresLoaded)
                       and seen(messages, ServiceNamesLoaded), "the measures and the names")
        await settle(pilot)
        types = app.screen.query_one("#measure-types", DataTable)
        types.move_cursor(row=types.get_row_index("body_weight"))
        await settle(pilot)
        values = app.screen.query_one("#measure-values", DataTable)
        sources = [str(values.get_row_at(i)[3]) for i in range(values.row_count)]
        assert sources[:2] == ["Pesée Claire", "Saisie par vous"]
        assert set(sources[2:]) == {"Donnée initiale"}


def test_a_source_is_a_service_name_the_patient_or_the_initial_data() -> None:
    names = {"pesee-claire": "Pesée Claire"}
    assert source_label(T, "urn:ens-consent:client:pesee-claire", names) == "Pesée Claire"
    assert source_label(T, "urn:ens-consent:client:ens-consent-app", names) == \
        "Saisie par vous"
    assert source_label(T, None, names) == "Donnée initiale"
    assert source_label(T, "urn:ens-consent:client:my-own-app", names) == "my-own-app"


def version(number: int, change: str, actor: str, permissions: list, **snapshot) -> GrantVersion:
    return GrantVersion(version=number, at=datetime(2026, 11, 26, 9, 30 + number, tzinfo=UTC),
                        actor=actor, change=change,
                        snapshot={"permissions": permissions, **snapshot})


def test_the_history_says_in_words_who_changed_what_newest_first() -> None:
    weight, height = ["measures", "body_weight", "read"], ["measures", "body_height", "read"]
    history = [
        version(1, "created", "sophie.dubois", [weight, height],
                valid_until="2027-11-26T09:31:00Z"),
        version(2, "narrowed", "sophie.dubois", [weight]),
        version(3, "suspended", "autorite", [weight]),
        version(4, "expired", "plateforme", [weight]),
    ]
    entries = history_entries(T, history, "sophie.dubois")
    assert [(e.version, e.who, e.what) for e in entries] == [
        (4, "la plateforme (échéance)", "Autorisation expirée"),
        (3, "l'autorité de référencement",
         "Service suspendu par l'autorité de référencement"),
        (2, "vous", "Autorisation restreinte"),
        (1, "vous", "Service connecté, jusqu'au 26/11/2027"),
    ]
    assert entries[2].details == ("Retiré : mesures · taille (lecture)",)
    assert entries[3].details == ("Partagé : mesures · taille (lecture), "
                                  "mesures · poids (lecture)",)
    assert entries[3].when == "26/11/2026 10:31"
    assert history_entries(T, history, "someone.else")[3].who == "sophie.dubois"


def test_every_key_built_from_a_grant_value_is_in_both_catalogues() -> None:
    from ens_consent_tui.client.grants import ACCESSES, DATA_CLASSES, DURATIONS
    from ens_consent_tui.client.measures import MEASURES
    from ens_consent_tui.client.records import DOCUMENT_GROUPS
    from ens_consent_tui.i18n import LANGUAGES

    keys = {
        *(f"grant.status.{s}" for s in ("active", "suspended", "revoked", "expired")),
        *(f"grant.change.{c}" for c in ("created", "narrowed", "duration_changed", "revoked",
                                        "reconnected", "expired", "suspended", "reinstated")),
        *(f"subtype.{m.key}" for m in MEASURES), *(f"subtype.{g}" for g in DOCUMENT_GROUPS),
        "subtype.all",
        *(f"permission.access.{a}" for a in (*ACCESSES, "read-write")),
        *(f"grant.access.{a}" for a in ACCESSES),
        *(f"duration.{d}" for d in DURATIONS),
        *(f"services.column.{c}.{a}" for c in DATA_CLASSES for a in ACCESSES),
        *(f"services.changed.{c}{suffix}" for c in ("narrowed", "duration_changed", "excluded",
                                                    "revoked") for suffix in ("", ".title")),
        *(f"home.outcome.{o}" for o in ("allowed", "denied", "failed")),
        *(f"command.{c}{suffix}" for c in ("narrow", "change_duration", "exclude")
          for suffix in ("", ".help")),
    }
    for lang, messages in LANGUAGES.items():
        assert keys <= set(messages), (lang, sorted(keys - set(messages)))
