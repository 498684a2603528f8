"""One permission the patient can switch off: the switch, its state in words, the access in
words, the platform's sentence and the service's reason."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Static, Switch

ACCESS_GLYPHS = {"read": "◉", "write": "✎", "read-write": "◉✎"}


class PermissionSwitch(Horizontal):
    """A permission line; `key` names it for whoever reads the answer (a scope, a permission),
    `group` ties it to the lines that switch together (maille `categorie`)."""

    DEFAULT_CSS = """
    PermissionSwitch {
        height: auto;
        margin-bottom: 1;
    }
    PermissionSwitch > Switch {
        width: auto;
    }
    PermissionSwitch > .permission-text {
        width: 1fr;
        padding-top: 1;
    }
    PermissionSwitch.-off > .permission-text {
        color: $text-muted;
    }
    """

    class Changed(Message):
        """The person switched this permission on or off."""

        def __init__(self, permission_switch: PermissionSwitch, value: bool) -> None:
            super().__init__()
            self.permission_switch = permission_switch
            self.value = value

        @property
        def control(self) -> PermissionSwitch:
            return self.permission_switch

    def __init__(self, key: str, sentence: str, access: str, reason: str | None = None, *,
                 value: bool = True, group: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.key = key
        self.sentence = sentence
        self.access = access
        self.reason = reason
        self.group = group
        self._initial = value

    def compose(self) -> ComposeResult:
        yield Switch(self._initial)
        yield Static(classes="permission-text")

    def on_mount(self) -> None:
        self._show(self._initial)

    @property
    def value(self) -> bool:
        return self.query_one(Switch).value

    def set_value(self, value: bool) -> None:
        """Switch without telling anyone (a line following its group)."""
        with self.prevent(Switch.Changed):
            self.query_one(Switch).value = value
        self._show(value)

    @on(Switch.Changed)
    def _switched(self, event: Switch.Changed) -> None:
        event.stop()
        self._show(event.value)
        self.post_message(self.Changed(self, event.value))

    def _show(self, value: bool) -> None:
        t = self.app.i18n
        self.set_class(not value, "-off")
        text = Text()
        text.append(t("permission.shared") if value else t("permission.not_shared"),
                    style="bold")
        text.append(f"  {ACCESS_GLYPHS.get(self.access, '•')} ")
        text.append(t(f"permission.access.{self.access}"), style="bold")
        text.append(f" — {self.sentence}")
        if self.reason:
            text.append("\n")
            text.append(t("sheet.reason", reason=self.reason), style="italic")
        self.query_one(".permission-text", Static).update(text)
