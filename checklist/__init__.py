"""Judgement over plain data: rule packs per assessment year, document facts, evaluation, index.

Pure functions; imports nothing from ``archive``.
"""
