"""A category marked ``register`` puts its schools on the Schools Causing Concern register when the
categorisation is confirmed: confidential to the LA and the school until a formal warning notice."""

import copy

import pytest

from categorisation import runs
from categorisation.selectors import published_version
from categorisation.services import framework_import, framework_publish
from sharing.models import ConcernRegisterEntry
from sharing.rules import register_entries_visible_to

from .conftest import RAG, YEAR


@pytest.fixture
def flagged_rag(world, officer):
    data = copy.deepcopy(RAG)
    data["categories"][0]["register"] = True  # RED
    version = framework_import(actor=officer, partnership=world.a.partnership, data=data, reason="test")
    framework_publish(actor=officer, framework=version.framework, reason="first")
    return published_version(version.framework)


def confirm(officer, version, django_capture_on_commit_callbacks, reason=""):
    with django_capture_on_commit_callbacks(execute=True):
        run = runs.run_start(
            actor=officer, partnership=version.partnership, framework_version=version, academic_year=YEAR, reason=reason
        )
    with django_capture_on_commit_callbacks(execute=True):
        runs.results_confirm(actor=officer, run=run)
    return run


def test_confirmed_red_schools_go_on_the_register_and_stay_confidential(
    world, officer, flagged_rag, data, django_capture_on_commit_callbacks
):
    confirm(officer, flagged_rag, django_capture_on_commit_callbacks)
    entry = ConcernRegisterEntry.objects.get()  # the RED school only; the AMBER one is not on it
    assert entry.school == world.a.other_school and entry.reason_kind == "categorisation"
    assert "RED" in entry.reason and YEAR in entry.reason and entry.added_by == officer
    assert entry in register_entries_visible_to(officer, world.a.partnership)
    # Another school's head does not see a confidential entry about a school that is not theirs.
    assert entry not in register_entries_visible_to(world.a.users["head"], world.a.partnership)


def test_confirming_a_later_run_does_not_add_the_school_twice(
    world, officer, flagged_rag, data, django_capture_on_commit_callbacks
):
    confirm(officer, flagged_rag, django_capture_on_commit_callbacks)
    confirm(officer, flagged_rag, django_capture_on_commit_callbacks, reason="Corrected data from the DfE.")
    assert ConcernRegisterEntry.objects.count() == 1


def test_a_framework_without_register_categories_adds_nobody(officer, rag, data, django_capture_on_commit_callbacks):
    confirm(officer, rag, django_capture_on_commit_callbacks)
    assert not ConcernRegisterEntry.objects.exists()


def test_register_must_be_true_or_false(world, officer):
    from django.core.exceptions import ValidationError

    data = copy.deepcopy(RAG)
    data["categories"][0]["register"] = "yes"
    with pytest.raises(ValidationError, match=r"categories\[0\] \(RED\)\.register: must be true or false"):
        framework_import(actor=officer, partnership=world.a.partnership, data=data, reason="test")
