"""Pydantic request and response bodies of the JSON API."""
