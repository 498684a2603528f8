"""Scenarios: one YAML journey run guided in the app or headless by a tester (DESIGN section 9)."""
