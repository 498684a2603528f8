"""(filled by its issue)"""

from fastapi import FastAPI


def install(app: FastAPI) -> None:
    """Mount this package's routes on the platform app."""
