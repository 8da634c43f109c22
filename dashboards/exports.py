"""The school list as a CSV file, following the sharing rules (sharing.rules).

Every school the person may see at headline gets a row of public columns (GIAS details, cluster,
latest Ofsted grade). The protected columns (the LA's latest judgements and the current category) are
filled only for the schools the person has full access to; the ``access`` column says which level each
row was written at and ``access_because`` why, so a blank is explained. Each school exported at full is
logged for its data controller, in one bulk insert. The queries are the same few whatever the number
of schools.
"""

import csv

from categorisation.selectors import latest_categories_of
from partnership.models import Partnership
from schools.models import SCHOOL_DATA_FIELDS
from schools.selectors import JUDGEMENT_COLUMNS, latest_judgements
from sharing.grants import full_ids
from sharing.rules import Access
from sharing.services import log_data_views

# The school's public details, as imports keep them and the API shows them.
PUBLIC_COLUMNS = ("urn", *SCHOOL_DATA_FIELDS)
HEADER = (
    *PUBLIC_COLUMNS,
    "cluster",
    "ofsted_grade",
    "ofsted_category",
    "access",
    "access_because",
    "judgements_academic_year",
    *JUDGEMENT_COLUMNS,
    "category",
    "category_status",
    "category_academic_year",
)
PROTECTED_WIDTH = 1 + len(JUDGEMENT_COLUMNS) + 3
EXPORT_WHAT = "school list CSV export: LA judgements and category"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    """A value as a spreadsheet will read it safely: blank for None, yes/no for booleans, and text that a
    spreadsheet would take for a formula quoted (numbers are written as numbers and left alone)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _protected(indicator, category) -> list:
    row = [indicator.academic_year if indicator else None]
    row += [getattr(indicator, column) if indicator else None for column in JUDGEMENT_COLUMNS]
    row += [category[key] if category else None for key in ("category", "status", "academic_year")]
    return row


def school_list_csv(
    out,
    *,
    user,
    partnership: Partnership,
    schools,
    accesses: dict[int, Access],
    to_officer: bool,
    own: frozenset[int] = frozenset(),
) -> int:
    """Write the schools (an iterable in the list's order, as ``selectors.school_browse`` gives them) to
    ``out`` as CSV, given the person's accesses (``sharing.grants.accesses_for``). Returns the rows written."""
    rows = [school for school in schools if school.pk in accesses and accesses[school.pk].at_least_headline]
    full = full_ids(accesses) & {school.pk for school in rows}
    indicators = latest_judgements(partnership, full) if full else {}
    categories = latest_categories_of(partnership, full, to_officer=to_officer, own=own) if full else {}
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for school in rows:
        access = accesses[school.pk]
        row = [getattr(school, column) for column in PUBLIC_COLUMNS]
        row += [school.cluster_name, school.latest_grade, school.latest_category or None]
        row += [access.level, access.sentence]
        if school.pk in full:
            row += _protected(indicators.get(school.pk), categories.get(school.pk))
        else:
            row += [None] * PROTECTED_WIDTH
        writer.writerow([_cell(value) for value in row])
    log_data_views(user, partnership, accesses, [school.pk for school in rows], EXPORT_WHAT)
    return len(rows)
