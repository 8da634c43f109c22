"""The school list as a CSV file, following the sharing rules (sharing.rules).

Every school the person may see at headline gets a row of public columns (GIAS details, cluster,
latest Ofsted grade). The protected columns (the LA's latest judgements and the category the school
list shows, by code and by its framework's name) are filled only for the schools the person has full
access to; the ``access`` column says which level each row was written at and ``access_because`` why,
so a blank is explained. Each school exported at full is
logged for its data controller, in one bulk insert. The queries are the same few whatever the number
of schools.
"""

from partnership.models import Partnership
from partnership.spreadsheets import SafeWriter
from schools.models import SCHOOL_DATA_FIELDS
from schools.selectors import JUDGEMENT_COLUMNS, latest_judgements
from sharing.grants import full_ids
from sharing.rules import Access
from sharing.services import log_data_views

from .categories import ShownCategory

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
    "category_name",
    "category_status",
    "category_academic_year",
)
PROTECTED_WIDTH = 1 + len(JUDGEMENT_COLUMNS) + 4
EXPORT_WHAT = "school list CSV export: LA judgements and category"


def _protected(indicator, category: ShownCategory | None) -> list:
    row = [indicator.academic_year if indicator else None]
    row += [getattr(indicator, column) if indicator else None for column in JUDGEMENT_COLUMNS]
    if category is None:
        return [*row, None, None, None, None]
    return [*row, category.code, category.label, category.status, category.academic_year]
    return row


def school_list_csv(
    out,
    *,
    user,
    partnership: Partnership,
    schools,
    accesses: dict[int, Access],
    categories: dict[int, ShownCategory],
) -> int:
    """Write the schools (an iterable in the list's order, as ``selectors.school_browse`` gives them) to
    ``out`` as CSV, given the person's accesses (``sharing.grants.accesses_for``) and the categories they
    are shown (``dashboards.categories.shown_categories``, the list's column). Returns the rows written."""
    rows = [school for school in schools if school.pk in accesses and accesses[school.pk].at_least_headline]
    full = full_ids(accesses) & {school.pk for school in rows}
    indicators = latest_judgements(partnership, full) if full else {}
    writer = SafeWriter(out)
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
        writer.writerow(row)
    log_data_views(user, partnership, accesses, [school.pk for school in rows], EXPORT_WHAT)
    return len(rows)
