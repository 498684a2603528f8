"""Events for the patient's app: an append-only table (the truth) plus an in-process wake-up.

Writers call `publish` inside their transaction and `Notifier.notify()` after it commits; readers
(the SSE stream, the cursor endpoint) read the table after a cursor. A write made by another
process (a second terminal on the same database) is still seen: readers also poll on a timeout.
"""

from mock_server.events.notifier import Notifier
from mock_server.events.store import Event, latest_event_id, publish, publish_many, read_after

__all__ = ["Event", "Notifier", "latest_event_id", "publish", "publish_many", "read_after"]
