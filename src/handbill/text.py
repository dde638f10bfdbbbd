"""Two small text rules every stage applies the same way: white space folded, and spreadsheet cells that
would start a formula. One definition each, so a review file, a glossary and a segment id agree."""

from __future__ import annotations

# OWASP's formula starters: a cell beginning with one runs as a formula in Excel or LibreOffice Calc.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def fold(text: str | None) -> str:
    """Runs of white space (line breaks, tabs, no-break spaces) as one space, none at the ends."""
    return " ".join((text or "").split())


def starts_formula(cell: str) -> bool:
    return cell.startswith(FORMULA_STARTS)
