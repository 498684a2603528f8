"""The mock ENS platform: identity provider, OAuth 2 / OIDC, FHIR R4 APIs, store and consent."""

__version__ = "0.1.0"
