"""Config for Tortoise's migration CLI when writing a new migration (developers only).

TORTOISE_ORM=scripts.tortoise_dev.TORTOISE_ORM tortoise makemigrations archive -n NAME
"""

TORTOISE_ORM = {
    "connections": {"default": "sqlite://:memory:"},
    "apps": {
        "archive": {
            "models": ["archive.models"],
            "default_connection": "default",
            "migrations": "archive.migrations",
        }
    },
    "use_tz": True,
    "timezone": "UTC",
}
