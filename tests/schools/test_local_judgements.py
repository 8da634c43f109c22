"""The officers' judgements in the local data template: imported, checked row by row, kept when a later
file leaves their columns out, and given as facts under the categorisation vocabulary's names."""

import pytest

from categorisation.facts import school_facts
from schools.importers.local import TEMPLATE_COLUMNS, TEMPLATE_EXAMPLE
from schools.models import LocalIndicator
from schools.selectors import JUDGEMENT_FACTS

pytestmark = pytest.mark.django_db

JUDGEMENTS = (
    "teaching_quality",
    "leadership_governance",
    "likely_next_ofsted_grade",
    "behaviour_concern",
    "self_evaluation_accurate",
    "judged_securely_good",
    "recent_s8_with_priorities",
)


def _judgements(school, year="2018-19"):
    row = LocalIndicator.objects.get(school=school, academic_year=year)
    return tuple(getattr(row, f) for f in JUDGEMENTS)


def test_template_lists_every_judgement_column():
    for column in (
        "Teaching quality",
        "Leadership and governance",
        "Likely next Ofsted grade",
        "Behaviour concern",
        "Self-evaluation accurate",
        "Judged securely good",
        "Recent section 8 with priorities",
    ):
        assert column in TEMPLATE_COLUMNS
    assert len(TEMPLATE_EXAMPLE) == len(TEMPLATE_COLUMNS)


def test_judgements_import_in_any_case_and_blank_is_not_judged(world, run):
    result = run("local", "local_judgements.csv")
    assert result.ok, result.errors
    assert _judgements(world.a.school) == (
        "not_consistently_good",
        "not_consistently_effective",
        3,
        True,
        False,
        False,
        True,
    )
    assert _judgements(world.a.other_school) == ("consistently_good", "effective", 2, None, None, None, None)
    assert LocalIndicator.objects.get(school=world.a.school).outward_facing == "fully"


def test_a_file_without_the_judgement_columns_keeps_them(world, run):
    assert run("local", "local_judgements.csv").ok
    before = _judgements(world.a.school)
    # the older seven-column file changes outward facing and the grades, and leaves the judgements alone
    result = run("local", "local_small.csv")
    assert result.ok and result.summary["updated"]["local"] == 2
    row = LocalIndicator.objects.get(school=world.a.school, academic_year="2018-19")
    assert (row.outward_facing, row.sef_validated_grade) == ("partly", 3)
    assert _judgements(world.a.school) == before


def test_judgement_errors_name_row_column_and_value(world, run):
    result = run("local", "local_judgements_broken.csv")
    errors = {(e.row, e.column, e.value): e.message for e in result.errors}
    assert (
        "is not Consistently good, Not consistently good, Insufficient good"
        in errors[(2, "Teaching quality", "Mostly good")]
    )
    assert (
        "is not Effective, Not consistently effective, Ineffective"
        in errors[(2, "Leadership and governance", "Strong")]
    )
    assert "not an Ofsted grade" in errors[(2, "Likely next Ofsted grade", "5")]
    assert errors[(2, "Behaviour concern", "Maybe")] == "is not Yes, No or blank"
    assert errors[(2, "Self-evaluation accurate", "2")] == "is not Yes, No or blank"
    assert len(errors) == 5  # row 3 is fine
    assert not LocalIndicator.objects.exists()


def test_school_facts_give_the_judgements_and_null_without_local_data(world, run):
    assert run("local", "local_judgements.csv").ok
    facts = school_facts(world.a.partnership, world.a.school, "2018-19")
    assert {f: facts[f] for f in JUDGEMENTS} == {
        "teaching_quality": "not_consistently_good",
        "leadership_governance": "not_consistently_effective",
        "likely_next_ofsted_grade": 3,
        "behaviour_concern": True,
        "self_evaluation_accurate": False,
        "judged_securely_good": False,
        "recent_s8_with_priorities": True,
    }
    other = school_facts(world.a.partnership, world.a.other_school, "2018-19")
    assert other["behaviour_concern"] is None and other["teaching_quality"] == "consistently_good"
    earlier = school_facts(world.a.partnership, world.a.school, "2017-18")
    assert all(earlier[f] is None for f in JUDGEMENT_FACTS)
    assert set(JUDGEMENTS) <= set(JUDGEMENT_FACTS)
