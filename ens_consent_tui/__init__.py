"""The patient's ENS as a Textual app (issue 5). Talks to the platform only over HTTP."""
