"""The category each school is shown with, to one person, on the school page, the school list (its column,
sort, filter and CSV), the cluster page and the home pages: one read, so every place agrees.

The category is the one of the run the partnership's members are shown (``latest_shown_run``: a year's
confirmed results stand until a newer run of it is confirmed), read through ``revealed`` (a school
self-assesses before anyone but the LA sees its category; a withdrawn run shows nothing; a category that puts
the school on the concern register is held back, ``held_back``, from all but the LA and the school's own
people), and only for the schools whose protected data the person may see. A school with nothing to show,
for whichever of those reasons, is simply absent: the pages say "not shown" alike for all of them, so a
held-back category cannot be told from a missing one.
"""

from dataclasses import dataclass

from categorisation.letters import category_labels
from categorisation.models import Result
from categorisation.selectors import latest_shown_run, own_school_ids, revealed, run_results, sees_unrevealed


@dataclass(frozen=True)
class ShownCategory:
    code: str
    label: str
    rank: int  # the category's place in its framework's order, first = 0
    provisional: bool  # not confirmed yet
    academic_year: str
    status: str  # the result's status, as Result.Status

    @property
    def status_label(self) -> str:
        return Result.Status(self.status).label


@dataclass
class Shown:
    """The run the person is shown (or None) and, school id -> its category, for the schools asked about."""

    run: object | None
    categories: dict[int, ShownCategory]

    @property
    def choices(self) -> list[tuple[str, str]]:
        """(code, label) of the categories shown here, in the framework's order: the list's filter choices."""
        seen = {c.code: c for c in self.categories.values()}
        return [(c.code, c.label) for c in sorted(seen.values(), key=lambda c: c.rank)]


def framework_order(run) -> list[tuple[str, str]]:
    """(code, label) of every category of the run's framework version, in its order."""
    definition = run.framework_version.definition
    labels = category_labels(definition)
    return [(c["code"], labels[c["code"]]) for c in definition["categories"]]


def shown_categories(request, school_ids) -> Shown:
    """What this request's person is shown of each of ``school_ids`` (the ids at full access). Two or three
    queries whatever the number of schools."""
    partnership = request.partnership
    run = latest_shown_run(partnership)
    if run is None or not school_ids:
        return Shown(run, {})
    order = framework_order(run)
    rank = {code: i for i, (code, _label) in enumerate(order)}
    labels = dict(order)
    rows = revealed(
        run_results(run, school_ids=set(school_ids)),
        to_officer=sees_unrevealed(request.roles),
        partnership=partnership,
        own=own_school_ids(request.memberships),
    ).values_list("school_id", "final_category", "computed_category", "status")
    categories = {}
    for school_id, final, computed, status in rows:
        code = final or computed
        if not code:
            continue
        categories[school_id] = ShownCategory(
            code=code,
            label=labels.get(code, code),
            rank=rank.get(code, len(rank)),
            provisional=status != Result.Status.CONFIRMED,
            academic_year=run.academic_year,
            status=status,
        )
    return Shown(run, categories)
