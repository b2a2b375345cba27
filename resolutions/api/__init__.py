"""The REST API, /api/v1/: the same objects and rules as the pages, for programs.

tokens.py          personal API tokens: made, checked, revoked (only their hash is stored)
authentication.py  `Authorization: Bearer <token>` for DRF, and its OpenAPI description
throttles.py       requests per token, counted in the cache
errors.py          one JSON error shape, and its place in the schema
serializers.py, filters.py, pagination.py, views.py, urls.py
token_views.py     creating and revoking tokens under Preferences
"""
