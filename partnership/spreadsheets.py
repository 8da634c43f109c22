"""The one way the service writes a CSV file: every export (the school list, a run's results, the local data
template) goes through ``csv_response``, so every file has the same encoding and no cell can run as a formula.

Encoding: UTF-8 with a byte-order mark, so that spreadsheet programs read names with accents as written (the
importers read the mark back). Cells: None is blank, a boolean is yes or no, numbers are written as numbers,
and text that a spreadsheet would take for a formula (starting with = + - @, a tab or a carriage return) is
written with a leading apostrophe, which spreadsheets show as text. This guards every cell, codes included:
a category code or a self-assessed category is text an officer typed.
"""

import csv
from decimal import Decimal

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def safe_cell(value):
    """A value as a spreadsheet reads it safely."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class SafeWriter:
    """csv.writer that guards each cell of each row it writes."""

    def __init__(self, out):
        self._writer = csv.writer(out)

    def writerow(self, row) -> None:
        self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows) -> None:
        for row in rows:
            self.writerow(row)


def csv_response(filename: str) -> tuple[HttpResponse, SafeWriter]:
    """An attachment response named ``filename``, its byte-order mark written, and the writer for its rows.
    It tells browsers and proxies to keep no copy, as every answer of the service does (config/security.py)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    response.write(BOM)
    return response, SafeWriter(response)
