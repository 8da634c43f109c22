"""The one CSV writer (partnership/spreadsheets.py): every cell guarded, and no other module writes CSV."""

import io
import re
from decimal import Decimal
from pathlib import Path

import pytest

from partnership.spreadsheets import SafeWriter, csv_response, safe_cell

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ("partnership", "schools", "people", "sharing", "categorisation", "funding", "escalation", "dashboards")


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+44 1422", "'+44 1422"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("AMBER", "AMBER"),
        (None, ""),
        (True, "yes"),
        (False, "no"),
        (-5, -5),
        (Decimal("-1.25"), Decimal("-1.25")),
    ],
)
def test_each_cell_is_guarded(value, written):
    assert safe_cell(value) == written


def test_the_writer_guards_every_row_and_the_response_has_the_mark():
    out = io.StringIO()
    SafeWriter(out).writerows([["=A1", "ok"], [None, "-x"]])
    assert out.getvalue() == "'=A1,ok\r\n,'-x\r\n"
    response, writer = csv_response("x.csv")
    writer.writerow(["=B2"])
    assert response.content == "\ufeff'=B2\r\n".encode()
    assert response["Cache-Control"] == "no-store" and 'filename="x.csv"' in response["Content-Disposition"]


def test_no_other_module_writes_csv():
    """A csv.writer anywhere else would be an export that bypasses the guard."""
    writers = []
    for app in PRODUCT:
        for path in (ROOT / app).rglob("*.py"):
            if path.name == "spreadsheets.py" or "migrations" in path.parts:
                continue
            if re.search(r"csv\.(writer|DictWriter)\(", path.read_text()):
                writers.append(str(path.relative_to(ROOT)))
    assert not writers, f"write CSV through partnership.spreadsheets: {writers}"
