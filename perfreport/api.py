"""The HTTP API (django-ninja): /api/, its OpenAPI schema at /api/openapi.json
and browsable documentation at /api/docs."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(
    title="perfreport API",
    version="1.0.0",
    description="Indicators, observations and evaluations; writes need a token.",
    urls_namespace="api-1.0.0",
)
