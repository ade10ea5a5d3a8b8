"""Text and search: sandboxed extraction, Indonesian analysis and the full-text index.

Imports nothing from ``archive``; every Whoosh import stays inside this package.
"""
