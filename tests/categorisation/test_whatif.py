"""What-if: the draft and the published version over every school; the schools that would change, and why."""

import copy

from categorisation.runs import framework_whatif
from categorisation.selectors import draft_version
from categorisation.services import framework_edit
from tests.factories import SchoolFactory

from .conftest import RAG, YEAR


def test_lists_only_the_schools_that_would_change_with_both_reasons(
    world, officer, rag, data, django_assert_max_num_queries
):
    edited = copy.deepcopy(RAG)
    edited["categories"][1]["criteria"][1]["when"]["value"] = 50
    draft = framework_edit(actor=officer, framework=rag.framework, definition=edited)
    for i in range(30):  # more schools, no more queries
        SchoolFactory(partnership=world.a.partnership, urn=f"7{i:05d}")
    with django_assert_max_num_queries(8):
        whatif = framework_whatif(
            partnership=world.a.partnership, framework=rag.framework, draft=draft, academic_year=YEAR
        )
    assert (whatif["total"], whatif["unchanged"], len(whatif["changes"])) == (32, 31, 1)
    change = whatif["changes"][0]
    assert (change["urn"], change["before"], change["after"]) == (world.a.school.urn, "AMBER", "GREEN")
    assert "AMBER: KS2 RWM below 60% (ks2_rwm_expected_pct=55)" in change["before_reasons"]
    assert "not AMBER: none of its 2 criteria hold" in change["after_reasons"]
    assert any("Good or outstanding (ofsted_grade=2)" in r for r in change["after_reasons"])
    assert whatif["current"] == rag and draft_version(rag.framework) == draft  # nothing published, nothing written


def test_a_framework_with_no_published_version_lists_every_school(world, officer, data):
    from categorisation.services import framework_import

    draft = framework_import(actor=officer, partnership=world.a.partnership, data=RAG)
    whatif = framework_whatif(
        partnership=world.a.partnership, framework=draft.framework, draft=draft, academic_year=YEAR
    )
    assert whatif["current"] is None
    assert {(c["name"], c["before"], c["after"]) for c in whatif["changes"]} == {
        ("Alpha Primary School", None, "AMBER"),
        ("Alpha High School", None, "RED"),
    }
