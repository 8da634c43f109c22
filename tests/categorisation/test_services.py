"""Framework services: clone, edit to a draft, publish a new version, export and import, with audit."""

import copy

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from categorisation.engine import evaluate
from categorisation.models import Framework, FrameworkVersion
from categorisation.selectors import (
    draft_version,
    framework_export,
    framework_list,
    framework_versions,
    get_framework,
    published_version,
)
from categorisation.services import framework_clone, framework_edit, framework_import, framework_publish
from categorisation.shipped import load_shipped
from partnership.models import AuditEvent


@pytest.fixture
def officer(world):
    return world.a.users["officer"]


@pytest.fixture
def mk(world, officer):
    return framework_clone(actor=officer, partnership=world.a.partnership, source_slug="milton-keynes")


def test_clone_publishes_version_1_of_the_shipped_framework(world, officer, mk):
    assert (mk.slug, mk.source_slug, mk.partnership) == ("milton-keynes", "milton-keynes", world.a.partnership)
    version = published_version(mk)
    assert (version.number, version.status) == (1, "published")
    assert version.definition == load_shipped("milton-keynes")
    assert version.published_by == officer
    actions = list(
        AuditEvent.objects.for_partnership(world.a.partnership)
        .filter(action__startswith="framework.")
        .values_list("action", flat=True)
    )
    assert sorted(actions) == ["framework.create", "framework.publish"]


def test_clone_under_another_slug_and_name(world, officer):
    fw = framework_clone(
        actor=officer, partnership=world.a.partnership, source_slug="oldham", slug="oldham-2023", name="Oldham 2023"
    )
    assert published_version(fw).definition["slug"] == "oldham-2023"
    assert fw.name == "Oldham 2023"


def test_clone_of_an_unknown_framework_is_refused(world, officer):
    with pytest.raises(ValidationError, match="No shipped framework 'york'"):
        framework_clone(actor=officer, partnership=world.a.partnership, source_slug="york")


@pytest.mark.parametrize("role", ["head", "board", "governor", "partner"])
def test_only_officers_manage_frameworks(world, role):
    with pytest.raises(PermissionDenied):
        framework_clone(actor=world.a.users[role], partnership=world.a.partnership, source_slug="oldham")
    assert not Framework.objects.exists()


def test_an_officer_of_another_partnership_cannot_clone_into_this_one(world):
    with pytest.raises(PermissionDenied):
        framework_clone(actor=world.b.users["officer"], partnership=world.a.partnership, source_slug="oldham")


def test_edit_makes_a_draft_and_publish_makes_version_2_keeping_version_1(world, officer, mk):
    edited = copy.deepcopy(published_version(mk).definition)
    # The partnership decides that an improving outstanding school is category 1.
    edited["rows"].append(
        {
            "id": "1-improving",
            "label": "Ofsted 1; improving",
            "category": "1",
            "when": {
                "all": [
                    {"fact": "ofsted_grade", "op": "eq", "value": 1},
                    {"fact": "data_trend", "op": "eq", "value": "improving"},
                ]
            },
        }
    )
    draft = framework_edit(actor=officer, framework=mk, definition=edited, reason="Cover improving schools.")
    assert (draft.status, draft.number) == ("draft", None)
    assert published_version(mk).number == 1  # the draft is not in use yet
    again = framework_edit(actor=officer, framework=mk, definition=edited, reason="Second edit.")
    assert again.pk == draft.pk  # one draft per framework

    v2 = framework_publish(actor=officer, framework=mk, reason="Agreed at the autumn meeting.")
    assert (v2.number, v2.status, v2.published_by) == (2, "published", officer)
    assert draft_version(mk) is None
    versions = list(framework_versions(mk).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    facts = {"ofsted_grade": 1, "data_trend": "improving", "below_floor": False}
    assert evaluate(versions[0].definition, facts).category is None  # version 1 unchanged
    assert evaluate(versions[1].definition, facts).category == "1"
    publish = AuditEvent.objects.filter(action="framework.publish", object_id=str(v2.pk)).get()
    assert publish.before["status"] == "draft" and publish.after["status"] == "published"
    assert publish.after["number"] == 2 and publish.reason == "Agreed at the autumn meeting."
    assert AuditEvent.objects.filter(action="framework.edit").count() == 2


def test_an_invalid_edit_is_refused_with_the_precise_mistake(officer, mk):
    edited = copy.deepcopy(published_version(mk).definition)
    edited["rows"][0]["when"] = {"fact": "ofsted_grade", "op": "eq", "value": 7}
    with pytest.raises(ValidationError) as info:
        framework_edit(actor=officer, framework=mk, definition=edited)
    assert "rows[0] (4).when: bad value for ofsted_grade: 7 is not one of 1, 2, 3, 4" in str(info.value)
    assert draft_version(mk) is None


def test_a_best_fit_edit_whose_every_criterion_is_limiting_is_refused(officer, calderdale):
    edited = copy.deepcopy(calderdale.definition)
    for cat in edited["categories"]:
        for crit in cat["criteria"]:
            crit["limiting"] = True
    with pytest.raises(ValidationError) as info:
        framework_edit(actor=officer, framework=calderdale.framework, definition=edited)
    assert "categories[0] (RED).criteria: every criterion is limiting, so best fit has no indicator" in str(info.value)
    assert "categories[2] (GREEN).criteria: every criterion is limiting" in str(info.value)
    assert draft_version(calderdale.framework) is None


def test_publish_needs_a_draft_and_a_reason(officer, mk):
    with pytest.raises(ValidationError, match="no draft to publish"):
        framework_publish(actor=officer, framework=mk, reason="Nothing changed.")
    framework_edit(actor=officer, framework=mk, definition=published_version(mk).definition)
    with pytest.raises(ValidationError):
        framework_publish(actor=officer, framework=mk, reason=" ")


def test_export_then_import_into_another_partnership(world, officer, mk):
    exported = framework_export(mk)
    assert exported == load_shipped("milton-keynes")
    draft = framework_import(
        actor=world.b.users["officer"],
        partnership=world.b.partnership,
        data=exported,
        reason="Adopting Milton Keynes' framework.",
    )
    assert draft.status == "draft" and draft.partnership == world.b.partnership
    imported = get_framework(world.b.partnership, "milton-keynes")
    assert imported.pk != mk.pk and imported.source_slug == ""
    framework_publish(actor=world.b.users["officer"], framework=imported, reason="Adopted.")
    assert framework_export(imported) == exported


def test_import_over_an_existing_slug_makes_a_draft_of_it(officer, world, mk):
    data = framework_export(mk)
    data["name"] = "Milton Keynes, local edition"
    draft = framework_import(actor=officer, partnership=world.a.partnership, data=data)
    assert draft.framework == mk and draft.status == "draft"
    framework_publish(actor=officer, framework=mk, reason="Renamed.")
    mk.refresh_from_db()
    assert mk.name == "Milton Keynes, local edition"
    assert framework_export(mk, number=1)["name"] == load_shipped("milton-keynes")["name"]


def test_import_of_an_invalid_framework_is_refused(officer, world):
    with pytest.raises(ValidationError, match="method"):
        framework_import(
            actor=officer,
            partnership=world.a.partnership,
            data={"slug": "mine", "name": "Mine", "method": "vote", "categories": []},
        )
    assert not Framework.objects.filter(slug="mine").exists()


def test_selectors_are_scoped_to_the_partnership(world, mk):
    from django.http import Http404

    assert list(framework_list(world.a.partnership)) == [mk]
    assert list(framework_list(world.b.partnership)) == []
    with pytest.raises(Http404):
        get_framework(world.b.partnership, "milton-keynes")


def test_a_published_version_cannot_be_a_second_draft(world, mk):
    version = published_version(mk)
    version.status = FrameworkVersion.Status.DRAFT
    with pytest.raises(ValidationError):
        version.full_clean()


def test_command_uses_a_partnerships_published_version(tmp_path, officer, mk):
    import json
    from io import StringIO

    from django.core.management import CommandError, call_command

    edited = copy.deepcopy(published_version(mk).definition)
    edited["rows"].insert(
        0,
        {
            "id": "x",
            "label": "Everything RI is 3c",
            "category": "3c",
            "when": {"fact": "ofsted_grade", "op": "eq", "value": 3},
        },
    )
    framework_edit(actor=officer, framework=mk, definition=edited)
    path = tmp_path / "facts.json"
    path.write_text(
        json.dumps(
            [
                {
                    "urn": "1",
                    "ofsted_grade": 3,
                    "ofsted_leadership_grade": 2,
                    "data_trend": "improving",
                    "sef_validated_grade": 2,
                    "below_floor": False,
                }
            ]
        )
    )

    def run():
        out = StringIO()
        call_command(
            "categorise",
            "--framework",
            "milton-keynes",
            "--facts",
            str(path),
            "--partnership",
            mk.partnership.slug,
            stdout=out,
        )
        return json.loads(out.getvalue())[0]["category"]

    assert run() == "3a"  # the draft is not used
    framework_publish(actor=officer, framework=mk, reason="Simplify RI.")
    assert run() == "3c"
    with pytest.raises(CommandError, match="has no framework 'oldham'"):
        call_command("categorise", "--framework", "oldham", "--facts", str(path), "--partnership", "alpha")
