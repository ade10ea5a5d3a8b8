"""Pydantic's validation errors in Indonesian, one message per field (forms, imports)."""

from __future__ import annotations

from pydantic import ValidationError


def field_messages(exc: ValidationError) -> dict[str, str]:
    """Pydantic's errors as one Indonesian message per field."""
    out: dict[str, str] = {}
    for error in exc.errors():
        loc = [str(p) for p in error.get("loc", ())]
        field = loc[0] if loc else "form"
        kind = error.get("type", "")
        ctx = error.get("ctx") or {}
        if kind in ("missing", "string_too_short"):
            text = "Wajib diisi."
        elif kind.startswith("date"):
            text = "Tanggal tidak valid; pilih dari kalender atau tulis TTTT-BB-HH."
        elif kind.startswith("int") or kind.startswith("float"):
            text = "Harus berupa angka."
        elif kind == "greater_than_equal":
            text = "Tidak boleh kurang dari nol."
        elif kind == "string_too_long":
            text = f"Terlalu panjang; paling banyak {ctx.get('max_length')} karakter."
        elif kind == "literal_error":
            expected = str(ctx.get("expected", "")).replace(" or ", " atau ")
            text = f"Pilih salah satu: {expected}." if expected else "Pilih salah satu pilihan."
        elif kind == "value_error":
            text = str(error.get("msg", "")).removeprefix("Value error, ")
            field = "implementation_date" if field == "form" or not loc else field
        else:
            text = "Isian tidak valid."
        out.setdefault(field, text)
    return out
