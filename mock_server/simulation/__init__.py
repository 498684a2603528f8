"""Simulation: the server clock (and later the service agents and facilitator console)."""
