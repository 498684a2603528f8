"""Over real HTTP (uvicorn on 127.0.0.1): links, big uploads, concurrent writes."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx

from tests.fhir.conftest import auth, measure, write_headers


def test_search_links_use_the_live_base_url_and_oversized_upload_is_413(
    live_server, camille_token, settings
):
    with httpx.Client(base_url=live_server, timeout=10) as http:
        bundle = http.get("/fhir/Observation", params={"_count": 2}, headers=auth(camille_token))
        assert bundle.status_code == 200
        links = {link["relation"]: link["url"] for link in bundle.json()["link"]}
        assert links["next"].startswith(f"{live_server}/fhir/Observation?")

        def chunks() -> Iterator[bytes]:
            for _ in range(settings.max_body_bytes // 65536 + 8):
                yield b" " * 65536

        response = http.post(
            "/fhir/Observation", content=chunks(), headers=write_headers(camille_token)
        )
        assert response.status_code == 413
        assert response.json()["issue"][0]["code"] == "too-costly"


async def test_concurrent_writes_all_succeed(live_server, camille_token):
    async with httpx.AsyncClient(base_url=live_server, timeout=30) as http:
        responses = await asyncio.gather(
            *(
                http.post(
                    "/fhir/Observation",
                    json=measure("body_weight", 60 + i / 10, f"2030-02-01T08:{i:02d}:00+01:00"),
                    headers=write_headers(camille_token),
                )
                for i in range(20)
            )
        )
    assert [r.status_code for r in responses] == [201] * 20
