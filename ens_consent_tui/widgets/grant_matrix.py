"""The permissions matrix: one row per service, a column per data class × read/write."""

from __future__ import annotations

from collections.abc import Iterable

from textual.widgets import DataTable

from ens_consent_tui.client.grants import ACCESSES, DATA_CLASSES, Grant
from ens_consent_tui.formatting import shorten
from ens_consent_tui.grant_wording import grant_validity, matrix_cell, status_label
from ens_consent_tui.i18n import Catalogue

STATUS_ORDER = ("active", "suspended", "expired", "revoked")
"""Rows: what still shares data first."""
NAME_WIDTH = 24


class GrantMatrix(DataTable[str]):
    """Services × (Agenda, Documents, Mesures) × (Lecture, Écriture); the row key is the
    grant's id. Each cell says what is shared in words (`✓ poids, taille`) or `—`."""

    def __init__(self, *, id: str | None = None) -> None:
        # Two-line headers ("Documents / écriture") keep the eight columns narrow.
        super().__init__(id=id, cursor_type="row", zebra_stripes=True, header_height=2)

    def on_mount(self) -> None:
        t = self.app.i18n
        self.add_column(t("services.column.service"), key="service")
        self.add_column(t("services.column.status"), key="status")
        for data_class in DATA_CLASSES:
            for access in ACCESSES:
                self.add_column(t(f"services.column.{data_class}.{access}"),
                                key=f"{data_class}.{access}")
        self.add_column(t("services.column.validity"), key="validity")

    def show(self, grants: Iterable[Grant]) -> None:
        """Replace the rows, keeping the cursor on the same grant when it is still there."""
        t: Catalogue = self.app.i18n
        selected = self.selected_id
        self.clear()
        for grant in sorted(grants, key=_order):
            self.add_row(*row_cells(t, grant), key=grant.id)
        if selected is not None and selected in self.rows:
            self.move_cursor(row=self.get_row_index(selected))

    @property
    def selected_id(self) -> str | None:
        """The grant under the cursor."""
        if not self.row_count:
            return None
        row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return row_key.value


def row_cells(t: Catalogue, grant: Grant) -> tuple[str, ...]:
    cells = [matrix_cell(t, grant.permissions_of(data_class, access))
             for data_class in DATA_CLASSES for access in ACCESSES]
    return (shorten(grant.service.name, NAME_WIDTH), status_label(t, grant.status), *cells,
            grant_validity(t, grant))


def _order(grant: Grant) -> tuple[int, str]:
    rank = STATUS_ORDER.index(grant.status) if grant.status in STATUS_ORDER else len(STATUS_ORDER)
    return rank, grant.service.name.casefold()
