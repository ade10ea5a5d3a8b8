"""Regional units: SKPD, BLUD, puskesmas, kecamatan, villages and citizen groups."""

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class UnitKind(StrEnum):
    SKPD = "skpd"
    BLUD = "blud"
    PUSKESMAS = "puskesmas"
    KECAMATAN = "kecamatan"
    DESA = "desa"
    MASYARAKAT = "masyarakat"


class Unit(Model):
    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=32, unique=True)
    name = fields.CharField(max_length=200)
    kind = fields.CharEnumField(UnitKind, max_length=16)
    # A deactivated unit keeps its history but takes no new innovations or accounts.
    deactivated_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "units"
        ordering = ["code"]

    @property
    def active(self) -> bool:
        return self.deactivated_at is None
