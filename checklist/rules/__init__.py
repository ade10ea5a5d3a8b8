"""Rule pack YAML files, one per assessment year (package data)."""
