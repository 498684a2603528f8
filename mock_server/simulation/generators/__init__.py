"""Payload generators named in `behaviours.yaml`: measures (one per writable measure key),
`document` (a DMP document from a template) and `appointment` / `appointment_update`."""

from mock_server.simulation.generators.appointments import APPOINTMENT_GENERATORS
from mock_server.simulation.generators.base import (
    DeviceInfo,
    Generator,
    GeneratorContext,
    PlannedRequest,
)
from mock_server.simulation.generators.documents import DOCUMENT_GENERATOR
from mock_server.simulation.generators.measures import MEASURE_GENERATORS

GENERATORS: dict[str, Generator] = {
    generator.name: generator
    for generator in (*MEASURE_GENERATORS, DOCUMENT_GENERATOR, *APPOINTMENT_GENERATORS)
}
"""Generator name -> generator."""

__all__ = ["GENERATORS", "DeviceInfo", "Generator", "GeneratorContext", "PlannedRequest"]
