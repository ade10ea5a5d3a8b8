async def test_health_answers_ok_with_the_database_reachable(client):
    response = await client.get("/api/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"] == "ok"


async def test_openapi_lists_the_contract_routes(client):
    paths = (await client.get("/openapi.json")).json()["paths"]
    for path in ["/api/auth/token", "/api/units", "/api/users", "/api/periods",
                 "/api/innovations", "/api/innovations/{innovation_id}"]:  # fmt: skip
        assert path in paths


async def test_unknown_route_answers_json(client):
    response = await client.get("/api/nothing-here")
    assert response.status_code == 404
    assert "detail" in response.json()
