"""Categorisation pages: runs (views.runs) and the framework editor (views.frameworks, views.framework_parts)."""

from .framework_parts import (
    framework_category,
    framework_category_add,
    framework_category_remove,
    framework_criterion_move,
    framework_parameters,
    framework_rows,
)
from .frameworks import (
    framework_category_move,
    framework_clone_view,
    framework_details,
    framework_edit_view,
    framework_export,
    framework_json,
    framework_whatif,
    shipped_choices,
)
from .judgements import school_judgements
from .letter_template import letter_template_edit
from .runs import (
    categorisation_home,
    result_detail,
    result_letter,
    run_confirm,
    run_detail,
    run_export,
    run_letters_retry,
    run_letters_zip,
    run_list,
    run_progress,
    run_resume,
    run_withdraw,
    school_history,
)
from .self_assessment import run_due_date

__all__ = [
    "letter_template_edit",
    "run_due_date",
    "school_judgements",
    "categorisation_home",
    "framework_category",
    "framework_category_add",
    "framework_category_move",
    "framework_category_remove",
    "framework_criterion_move",
    "framework_clone_view",
    "framework_details",
    "framework_edit_view",
    "framework_export",
    "framework_json",
    "framework_parameters",
    "framework_rows",
    "framework_whatif",
    "result_detail",
    "result_letter",
    "run_confirm",
    "run_detail",
    "run_export",
    "run_letters_retry",
    "run_letters_zip",
    "run_list",
    "run_progress",
    "run_resume",
    "run_withdraw",
    "school_history",
    "shipped_choices",
]
