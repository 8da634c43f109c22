"""A school's standing as an app above this one decides it, read by the apps beside that one.

The workflows may not import each other (the layers in pyproject.toml), yet funding marks the bids of
schools whose latest confirmed category the partnership calls a priority. So categorisation registers its
read here when it starts (``categorisation.apps``), and funding asks here: with no categorisation
installed, no school has a category.
"""

from collections.abc import Callable

# (partnership, school ids, to_officer=..., own=...) -> school id -> the latest confirmed category code that
# the person may be shown (a held-back category is simply absent).
_confirmed_categories: Callable | None = None


def register_confirmed_categories(read: Callable) -> None:
    global _confirmed_categories
    _confirmed_categories = read


def confirmed_categories(partnership, school_ids, *, to_officer: bool, own: frozenset[int]) -> dict[int, str]:
    if _confirmed_categories is None or not school_ids:
        return {}
    return _confirmed_categories(partnership, set(school_ids), to_officer=to_officer, own=own)
