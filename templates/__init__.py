"""Jinja2 pages, one folder per area; partials start with ``_``. Shipped as package data."""
