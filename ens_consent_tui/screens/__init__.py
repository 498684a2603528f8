"""Screens of the patient app; each screen's layout lives in the .tcss file beside it."""
