"""The bulk facts reader gives, school by school, exactly what schools.selectors.school_facts gives,
in a fixed number of queries."""

from datetime import date

from categorisation.facts_source import facts_for_partnership
from schools.selectors import school_facts
from tests.factories import SchoolFactory

from .conftest import YEAR, inspect, results


def test_same_facts_as_school_facts_for_each_school(world, data, django_assert_num_queries):
    a = world.a
    third = SchoolFactory(partnership=a.partnership, urn="901003", phase="secondary", school_type="academy")
    inspect(third, date(2017, 5, 1), 4, category="SM", safeguarding=False)
    inspect(third, date(2020, 5, 1), 3)
    results(third, **{"2022-23": 40})
    with django_assert_num_queries(4):
        bulk = facts_for_partnership(a.partnership, YEAR)
    assert set(bulk) == {a.school.pk, a.other_school.pk, third.pk}
    for school in (a.school, a.other_school, third):
        assert bulk[school.pk] == school_facts(a.partnership, school, YEAR), school.name
    assert bulk[a.other_school.pk]["consecutive_ri"] == 2
    assert bulk[a.school.pk]["ks2_rwm_expected_pct_history"] == [70, 58, 55]
    assert bulk[third.pk]["previous_ofsted_grade"] == "SM"


def test_only_the_partnership_and_the_schools_asked_for(world, data):
    bulk = facts_for_partnership(world.a.partnership, YEAR, school_ids=[world.a.school.pk, world.b.school.pk])
    assert list(bulk) == [world.a.school.pk]
    assert facts_for_partnership(world.b.partnership, YEAR)[world.b.school.pk]["ofsted_grade"] is None
