"""The framework editor as an officer uses it: forms, not JSON. Each page is read as a browser reads it
(tests/categorisation/html_forms.py), a few fields are changed and the rest posted back as shown.

Every save goes through services.framework_edit: a valid one changes the draft only and is audited;
an invalid one shows each mistake naming the category, criterion or row and the field, and saves
nothing."""

import copy
import json

import pytest
from django.urls import reverse

from categorisation.engine import evaluate
from categorisation.models import FrameworkVersion
from categorisation.selectors import draft_version, published_version
from categorisation.services import convert_method, definition_revision, framework_clone, framework_edit
from partnership.models import AuditEvent

from .conftest import RAG
from .html_forms import form_data


def url(world, name, framework="rag", **kwargs):
    return reverse(
        f"categorisation_framework_{name}",
        kwargs={"partnership_slug": world.a.partnership.slug, "framework_slug": framework, **kwargs},
    )


def draft_of(version):
    return FrameworkVersion.objects.get(framework=version.framework, status="draft")


def no_draft(version) -> bool:
    return not FrameworkVersion.objects.filter(framework=version.framework, status="draft").exists()


@pytest.fixture
def client(login, officer):
    return login(officer)


@pytest.fixture
def mk(world, officer):
    return published_version(
        framework_clone(actor=officer, partnership=world.a.partnership, source_slug="milton-keynes")
    )


# ---- the overview ----------------------------------------------------------------------------------------


def test_overview_shows_categories_in_order_with_change_links_and_thresholds(world, client, calderdale):
    html = client.get(url(world, "edit", "calderdale")).content.decode()
    assert html.index("High concern") < html.index("Of concern") < html.index("No concern at this time")
    for number in (1, 2, 3):
        assert url(world, "category", "calderdale", number=number) in html
    assert "consecutive_ri ≥ 2" in html and "limiting" in html  # each criterion's condition, read as text
    assert "Primary: in line with national within ±" in html  # a threshold the framework uses
    assert "Floor standards" not in html  # below_floor is not tested by Calderdale's criteria
    assert "This is version 1, in use" in html and "See what the draft would change" not in html


def test_a_decision_table_overview_lists_its_rows(world, client, mk):
    html = client.get(url(world, "edit", "milton-keynes")).content.decode()
    assert "Decision table" in html and url(world, "rows", "milton-keynes") in html
    assert "ofsted_grade = 1 and (data_trend = sharp_decline or below_floor = true)" in html


# ---- a category and its criteria -----------------------------------------------------------------------


def test_change_a_threshold_in_a_criterion_line_saves_the_draft_and_audits_it(world, client, rag):
    page = url(world, "category", number=2)
    data = form_data(client.get(page).content.decode())
    assert data["code"] == "AMBER" and data["criteria-1-clause_0_fact"] == "ks2_rwm_expected_pct"
    assert data["criteria-1-clause_0_op"] == "lt" and data["criteria-1-clause_0_value"] == "60"
    data.update({"criteria-1-clause_0_value": "50", "reason": "Lowered after consultation."})
    response = client.post(page, data)
    assert response.status_code == 302 and response.url == url(world, "edit") + "#category-2"
    expected = copy.deepcopy(RAG)
    expected["categories"][1]["criteria"][1]["when"]["value"] = 50
    assert draft_of(rag).definition == expected
    assert published_version(rag.framework).definition == RAG  # the version in use does not change
    event = AuditEvent.objects.get(action="framework.edit", object_id=str(draft_of(rag).pk))
    assert event.actor_label == "officer.alpha" and event.reason == "Lowered after consultation."
    overview = client.get(response.url).content.decode()
    assert "Draft saved" in overview and url(world, "whatif") in overview


def test_a_value_the_fact_cannot_take_names_category_criterion_and_line_and_saves_nothing(world, client, rag):
    page = url(world, "category", number=2)
    data = form_data(client.get(page).content.decode())
    bad = {**data, "criteria-1-clause_0_value": "sixty"}
    html = client.post(page, bad).content.decode()
    assert "There is a problem: nothing was saved" in html
    assert (
        "Category AMBER, criterion 2 (KS2 RWM below 60%), line 1: &#x27;sixty&#x27; is not a value of "
        "ks2_rwm_expected_pct: it is a number from 0 to 100."
    ) in html
    # A number out of range is the engine's finding, placed on the same line and said the same way.
    html = client.post(page, {**data, "criteria-1-clause_0_value": "150"}).content.decode()
    assert (
        "Category AMBER, criterion 2 (KS2 RWM below 60%), condition line 1: bad value for "
        "ks2_rwm_expected_pct: 150 is not a number from 0 to 100"
    ) in html
    html = client.post(
        page, {**data, "criteria-1-clause_0_fact": "data_trend", "criteria-1-clause_0_value": "declining"}
    ).content.decode()
    assert (
        "Category AMBER, criterion 2 (KS2 RWM below 60%), condition line 1: operator &#x27;lt&#x27; needs a "
        "numeric fact" in html
    )
    html = client.post(page, {**data, "criteria-1-id": "ri"}).content.decode()
    assert "Category AMBER, criterion 2 (KS2 RWM below 60%), short id: duplicate id &#x27;ri&#x27;" in html
    html = client.post(page, {**data, "criteria-1-label": ""}).content.decode()
    assert "Category AMBER, criterion 2 (KS2 RWM below 60%): Say what the criterion is" in html
    assert no_draft(rag)


def test_a_condition_written_as_text_with_a_group(world, client, rag):
    page = url(world, "category", number=2)
    data = form_data(client.get(page).content.decode())
    data["criteria-1-expression"] = "ks2_rwm_expected_pct < 60 and (data_trend = declining or below_floor = true)"
    assert client.post(page, data).status_code == 302
    when = draft_of(rag).definition["categories"][1]["criteria"][1]["when"]
    assert when == {
        "all": [
            {"fact": "ks2_rwm_expected_pct", "op": "lt", "value": 60},
            {
                "any": [
                    {"fact": "data_trend", "op": "eq", "value": "declining"},
                    {"fact": "below_floor", "op": "eq", "value": True},
                ]
            },
        ]
    }
    # Reopened, a nested condition is edited as text only, and a mistake in it is named.
    html = client.get(page).content.decode()
    data = form_data(html)
    assert data["criteria-1-mode"] == "text" and "criteria-1-clause_0_fact" not in html
    data["criteria-1-expression"] = "ks2_rwm_expected_pct < 60 and (data_trend = declining"
    html = client.post(page, data).content.decode()
    assert (
        "Category AMBER, criterion 2 (KS2 RWM below 60%): The condition cannot be read: expected a closing "
        "bracket at the end." in html
    )


def test_changing_both_the_lines_and_the_text_is_refused(world, client, rag):
    page = url(world, "category", number=2)
    data = form_data(client.get(page).content.decode())
    data.update({"criteria-1-clause_0_value": "55", "criteria-1-expression": "ks2_rwm_expected_pct < 50"})
    html = client.post(page, data).content.decode()
    assert "Change the condition in the lines or as text, not both." in html and no_draft(rag)


def test_add_criteria_with_several_lines_mark_one_limiting_and_remove_another(world, client, rag):
    page = url(world, "category", number=1)
    data = form_data(client.get(page).content.decode())
    assert data["criteria-TOTAL_FORMS"] == "3"  # two criteria and one empty form to add a third
    data.update(
        {
            "criteria-2-label": "RI and declining",
            "criteria-2-match": "all",
            "criteria-2-clause_0_fact": "ofsted_grade",
            "criteria-2-clause_0_op": "eq",
            "criteria-2-clause_0_value": "3",
            "criteria-2-clause_1_fact": "data_trend",
            "criteria-2-clause_1_op": "in",
            "criteria-2-clause_1_value": "declining, sharp_decline",
            "criteria-0-limiting": "on",
            "criteria-1-DELETE": "on",
        }
    )
    assert client.post(page, data).status_code == 302
    criteria = draft_of(rag).definition["categories"][0]["criteria"]
    assert [c["id"] for c in criteria] == ["inadequate", "ri-and-declining"]
    assert criteria[0]["limiting"] is True
    assert criteria[1]["when"] == {
        "all": [
            {"fact": "ofsted_grade", "op": "eq", "value": 3},
            {"fact": "data_trend", "op": "in", "value": ["declining", "sharp_decline"]},
        ]
    }


def test_add_rename_move_and_remove_categories(world, client, rag):
    add = url(world, "category_add")
    data = form_data(client.get(add).content.decode())
    data.update(
        {
            "code": "WATCH",
            "label": "Watch",
            "combine": "all",
            "criteria-0-label": "Below floor",
            "criteria-0-clause_0_fact": "below_floor",
            "criteria-0-clause_0_op": "eq",
            "criteria-0-clause_0_value": "yes",
        }
    )
    assert client.post(add, data).status_code == 302
    definition = draft_of(rag).definition
    assert [c["code"] for c in definition["categories"]] == ["RED", "AMBER", "GREEN", "WATCH"]
    assert definition["categories"][3]["criteria"][0]["when"] == {"fact": "below_floor", "op": "eq", "value": True}

    overview = client.get(url(world, "edit")).content.decode()
    move = form_data(overview, field="direction")  # the first move form: RED down
    assert move["direction"] == "down"
    response = client.post(url(world, "category_move", number=1), move)
    assert response.url.endswith("#category-1")
    assert [c["code"] for c in draft_of(rag).definition["categories"]] == ["AMBER", "RED", "GREEN", "WATCH"]

    page = url(world, "category", number=4)
    data = form_data(client.get(page).content.decode())
    data["code"] = "AMBER"
    html = client.post(page, data).content.decode()
    assert "Another category already has the code AMBER: choose another." in html
    data["code"] = "WATCHLIST"
    assert client.post(page, data).status_code == 302

    remove = url(world, "category_remove", number=4)
    confirm = client.get(remove).content.decode()
    assert "Remove category WATCHLIST" in confirm
    assert client.post(remove, form_data(confirm)).status_code == 302
    assert [c["code"] for c in draft_of(rag).definition["categories"]] == ["AMBER", "RED", "GREEN"]
    reasons = list(AuditEvent.objects.filter(action="framework.edit").order_by("pk").values_list("reason", flat=True))
    assert reasons[1:] == [
        "Added category WATCH.",
        "Moved category RED down.",
        "Changed category WATCH, renamed WATCHLIST.",
        "Removed category WATCHLIST.",
    ]


def test_an_empty_category_is_refused_naming_it(world, client, rag):
    page = url(world, "category", number=3)
    data = form_data(client.get(page).content.decode())
    data["criteria-0-DELETE"] = "on"
    html = client.post(page, data).content.decode()
    assert "Category GREEN: empty category, it has no criteria" in html and no_draft(rag)


def test_a_save_over_a_newer_draft_is_refused(world, client, officer, rag):
    page = url(world, "category", number=2)
    data = form_data(client.get(page).content.decode())
    someone = copy.deepcopy(RAG)
    someone["categories"][0]["label"] = "Changed meanwhile"
    framework_edit(actor=officer, framework=rag.framework, definition=someone, reason="Another tab")
    html = client.post(page, {**data, "label": "Mine"}).content.decode()
    assert "The draft has changed since you opened this page" in html
    assert draft_of(rag).definition == someone


def test_nothing_changed_saves_nothing(world, client, rag):
    page = url(world, "category", number=2)
    response = client.post(page, form_data(client.get(page).content.decode()), follow=True)
    assert "Nothing was changed, so nothing was saved." in response.content.decode() and no_draft(rag)


def test_the_page_works_without_javascript_and_offers_a_template_for_it(world, client, rag):
    html = client.get(url(world, "category", number=2)).content.decode()
    assert '<template id="criteria-template">' in html and "criteria-__prefix__-label" in html
    assert 'data-add-form="criteria"' in html and "js/framework-editor.js" in html
    assert 'id="fact-values"' in html  # the values each fact allows, for the value boxes' hints


# ---- thresholds -------------------------------------------------------------------------------------------


def test_change_a_floor_threshold(world, client, mk):
    page = url(world, "parameters", "milton-keynes")
    html = client.get(page).content.decode()
    data = form_data(html)
    assert data["floor__primary_rwm_pct"] == "65.0"
    assert "Primary: above floor with at least this % meeting the expected standard in RWM" in html
    data.update({"floor__primary_rwm_pct": "60", "reason": "Consultation"})
    assert client.post(page, data).status_code == 302
    parameters = draft_of(mk).definition["parameters"]
    assert parameters["floor"]["primary_rwm_pct"] == 60.0
    assert parameters["trend"] == mk.definition["parameters"]["trend"]  # the rest as it was
    assert "coasting" not in parameters  # defaults the framework did not set stay out of it


@pytest.mark.parametrize(
    "field,value,message",
    [
        (
            "floor__primary_rwm_pct",
            "sixty",
            "Enter a number for “Primary: above floor with at least this % meeting the "
            "expected standard in RWM”, such as 65 or -0.5.",
        ),
        ("trend__years", "0", "Ensure this value is greater than or equal to 1."),
        ("attendance__good_pa_gap", "-1", "Ensure this value is greater than or equal to 0.0."),
    ],
)
def test_a_bad_threshold_is_named_and_nothing_is_saved(world, client, mk, field, value, message):
    page = url(world, "parameters", "milton-keynes")
    data = form_data(client.get(page).content.decode())
    html = client.post(page, {**data, field: value}).content.decode()
    assert "There is a problem: nothing was saved" in html and message in html.replace("&#x27;", "'")
    assert no_draft(mk)


# ---- a decision table's rows -------------------------------------------------------------------------------


def test_change_a_rows_values_and_category_and_move_it(world, client, mk):
    page = url(world, "rows", "milton-keynes")
    data = form_data(client.get(page).content.decode())
    assert data["rows-7-id"] == "2" and data["rows-7-condition"] == "ofsted_grade = 2 and data_trend = consistent"
    data.update(
        {
            "rows-7-condition": "ofsted_grade = 2 and data_trend in [consistent, improving]",
            "rows-7-order": "1",
            "rows-7-label": "Ofsted 2; consistent or improving",
        }
    )
    assert client.post(page, data).status_code == 302
    rows = draft_of(mk).definition["rows"]
    assert rows[0]["id"] == "2" and rows[0]["label"] == "Ofsted 2; consistent or improving" and rows[1]["id"] == "4"
    assert rows[0]["when"]["all"][1] == {"fact": "data_trend", "op": "in", "value": ["consistent", "improving"]}
    assert len(rows) == len(mk.definition["rows"])


def test_a_bad_row_is_named_and_nothing_is_saved(world, client, mk):
    page = url(world, "rows", "milton-keynes")
    data = form_data(client.get(page).content.decode())
    html = client.post(page, {**data, "rows-7-condition": "ofsted_grade = 2 and data_trend = flat"}).content.decode()
    assert (
        "Row 8 (Ofsted 2; consistent), condition: bad value for data_trend: &#x27;flat&#x27; is not one of "
        "&#x27;improving&#x27;"
    ) in html
    html = client.post(page, {**data, "rows-7-condition": "ofsted_grade = = 2"}).content.decode()
    assert "Row 8 (Ofsted 2; consistent): The condition cannot be read: expected a value at = (character 16)." in html
    html = client.post(page, {**data, "rows-14-label": "New row", "rows-14-condition": "ofsted_grade = 3"}).content
    assert "Row 15 (New row): Choose the category the row gives." in html.decode()
    html = client.post(page, {**data, "rows-7-category": "2b"}).content.decode()
    assert "Category 2: empty category, no row or criterion leads to it" in html
    assert no_draft(mk)


def test_add_a_row_and_renaming_a_category_renames_its_rows(world, client, mk):
    page = url(world, "rows", "milton-keynes")
    data = form_data(client.get(page).content.decode())
    total = int(data["rows-TOTAL_FORMS"])
    last = total - 1  # the empty row
    data.update(
        {
            f"rows-{last}-label": "Ofsted 3, leadership 1",
            f"rows-{last}-category": "3a",
            f"rows-{last}-condition": "ofsted_grade = 3 and ofsted_leadership_grade = 1",
        }
    )
    assert client.post(page, data).status_code == 302
    rows = draft_of(mk).definition["rows"]
    assert rows[-1] == {
        "id": "ofsted-3-leadership-1",
        "label": "Ofsted 3, leadership 1",
        "category": "3a",
        "when": {
            "all": [
                {"fact": "ofsted_grade", "op": "eq", "value": 3},
                {"fact": "ofsted_leadership_grade", "op": "eq", "value": 1},
            ]
        },
    }
    codes = [c["code"] for c in mk.definition["categories"]]
    page = url(world, "category", "milton-keynes", number=codes.index("3c") + 1)
    data = form_data(client.get(page).content.decode())
    assert client.post(page, {**data, "code": "3C"}).status_code == 302
    rows = draft_of(mk).definition["rows"]
    assert sum(r["category"] == "3C" for r in rows) == 5 and not any(r["category"] == "3c" for r in rows)


def test_rows_page_is_only_for_decision_tables(world, client, rag):
    assert client.get(url(world, "rows")).status_code == 404


# ---- details: name and method ----------------------------------------------------------------------------


def test_change_the_method_converts_the_criteria(world, client, rag):
    page = url(world, "details")
    data = form_data(client.get(page).content.decode())
    assert data["method"] == "ordered"
    assert client.post(page, {**data, "method": "decision_table"}).status_code == 302
    definition = draft_of(rag).definition
    assert definition["method"] == "decision_table"
    assert [r["id"] for r in definition["rows"]] == ["inadequate", "twice-ri", "ri", "rwm-low", "good"]
    assert all(not c["criteria"] and "combine" not in c for c in definition["categories"])
    html = client.post(page, {**data, "name": ""}).content.decode()
    assert "This field is required." in html


@pytest.mark.parametrize(
    "facts",
    [
        {"ofsted_grade": 4},
        {"ofsted_grade": 3, "consecutive_ri": 2},
        {"ofsted_grade": 3, "consecutive_ri": 1},
        {"ofsted_grade": 2, "ks2_rwm_expected_pct": 55},
        {"ofsted_grade": 2, "ks2_rwm_expected_pct": 75},
        {"ofsted_grade": 1},
    ],
)
def test_an_ordered_any_of_framework_converted_to_a_decision_table_decides_the_same(facts):
    table = convert_method(copy.deepcopy(RAG), "decision_table")
    back = convert_method(copy.deepcopy(table), "ordered")
    assert evaluate(table, facts).category == evaluate(RAG, facts).category == evaluate(back, facts).category


# ---- JSON, the advanced way ----------------------------------------------------------------------------


def test_export_the_published_version_and_the_draft_and_import_a_file(world, client, officer, rag):
    published = client.get(url(world, "export"))
    assert published["Content-Disposition"] == 'attachment; filename="rag-v1.json"'
    assert json.loads(published.content) == RAG
    assert client.get(url(world, "export") + "?version=draft").status_code == 404
    from django.core.files.uploadedfile import SimpleUploadedFile

    edited = copy.deepcopy(RAG)
    edited["name"] = "Imported RAG"
    upload = SimpleUploadedFile("rag.json", json.dumps(edited).encode(), content_type="application/json")
    response = client.post(url(world, "json"), {"upload": upload, "reason": "From the shared drive"})
    assert response.url == url(world, "whatif")
    assert json.loads(client.get(url(world, "export") + "?version=draft").content)["name"] == "Imported RAG"
    broken = SimpleUploadedFile("rag.json", b"{nope", content_type="application/json")
    html = client.post(url(world, "json"), {"upload": broken}).content.decode()
    assert "This is not valid JSON: Expecting property name enclosed in double quotes at line 1, column 2." in html


def test_whatif_lists_what_the_draft_changes(world, client, officer, rag):
    edited = copy.deepcopy(RAG)
    edited["categories"][1]["criteria"][1]["when"]["value"] = 50
    framework_edit(actor=officer, framework=rag.framework, definition=edited, reason="x")
    html = client.get(url(world, "whatif")).content.decode()
    assert "categories[AMBER].criteria[rwm-low].when.value" in html and '<code class="app-condition">60</code>' in html


def test_definition_revision_changes_with_any_edit():
    edited = copy.deepcopy(RAG)
    edited["categories"][2]["label"] = "Fine"
    assert definition_revision(RAG) == definition_revision(copy.deepcopy(RAG)) != definition_revision(edited)


def test_every_shipped_framework_opens_on_every_editor_page(world, client, officer):
    for slug in ("calderdale", "oldham", "milton-keynes"):
        version = published_version(framework_clone(actor=officer, partnership=world.a.partnership, source_slug=slug))
        pages = ["edit", "details", "parameters", "category_add", "json"] + (
            ["rows"] if version.definition["method"] == "decision_table" else []
        )
        for name in pages:
            assert client.get(url(world, name, slug)).status_code == 200, (slug, name)
        for number in range(1, len(version.definition["categories"]) + 1):
            page = url(world, "category", slug, number=number)
            response = client.post(page, form_data(client.get(page).content.decode()), follow=True)
            # Posting a category back unchanged is "nothing changed": every condition reads back the same.
            assert "Nothing was changed" in response.content.decode(), (slug, number)
        assert draft_version(version.framework) is None


def test_a_category_added_to_a_decision_table_comes_with_its_row(world, client, mk):
    add = url(world, "category_add", "milton-keynes")
    data = form_data(client.get(add).content.decode())
    data.update({"code": "3b", "label": "RI, small dip"})
    html = client.post(add, data).content.decode()
    assert "Give the row that leads to the new category: a decision table needs one." in html and no_draft(mk)
    html = client.post(add, {**data, "new_row": "ofsted_grade = 3 and data_trend = wobbly"}).content.decode()
    assert "The row leading to category 3b: bad value for data_trend: &#x27;wobbly&#x27;" in html and no_draft(mk)
    response = client.post(add, {**data, "new_row": "ofsted_grade = 3 and data_trend = small_decline"})
    assert response.status_code == 302
    definition = draft_of(mk).definition
    assert definition["categories"][-1] == {"code": "3b", "label": "RI, small dip"}
    assert definition["rows"][-1] == {
        "id": "3b-row",
        "label": "RI, small dip",
        "category": "3b",
        "when": {
            "all": [
                {"fact": "ofsted_grade", "op": "eq", "value": 3},
                {"fact": "data_trend", "op": "eq", "value": "small_decline"},
            ]
        },
    }


def test_the_register_flag_of_a_category_is_edited_and_kept(world, client, calderdale):
    page = url(world, "category", "calderdale", number=1)
    data = form_data(client.get(page).content.decode())
    assert data.get("register") == "on" and calderdale.definition["categories"][0]["register"] is True
    data.pop("register")
    assert client.post(page, data).status_code == 302
    red = draft_of(calderdale).definition["categories"][0]
    assert red["register"] is False and red["tib"] is False and len(red["criteria"]) == 11


# ---- stale pages: the JSON page and publishing check the revision too -------------------------------------


def test_saving_json_over_a_newer_draft_is_refused_and_saves_nothing(world, client, officer, rag):
    page = client.get(url(world, "json")).content.decode()
    data = form_data(page, "definition")
    # Another officer saves a draft meanwhile.
    newer = copy.deepcopy(RAG)
    newer["categories"][1]["criteria"][1]["when"]["value"] = 50
    framework_edit(actor=officer, framework=rag.framework, definition=newer, reason="meanwhile")
    mine = copy.deepcopy(RAG)
    mine["name"] = "Mine"
    data["definition"] = json.dumps(mine)
    response = client.post(url(world, "json"), data)
    assert response.status_code == 200 and "The draft has changed since you opened this page" in (
        response.content.decode()
    )
    kept = draft_of(rag).definition
    assert kept["name"] == RAG["name"] and kept["categories"][1]["criteria"][1]["when"]["value"] == 50


def test_publishing_a_draft_changed_since_its_what_if_is_refused(world, client, officer, rag):
    first = copy.deepcopy(RAG)
    first["categories"][1]["criteria"][1]["when"]["value"] = 50
    framework_edit(actor=officer, framework=rag.framework, definition=first, reason="first")
    page = client.get(url(world, "whatif")).content.decode()
    data = form_data(page, "reason")
    second = copy.deepcopy(first)
    second["categories"][1]["criteria"][1]["when"]["value"] = 45
    framework_edit(actor=officer, framework=rag.framework, definition=second, reason="meanwhile")
    data["reason"] = "Agreed by the board."
    response = client.post(url(world, "whatif"), data)
    assert response.status_code == 200 and "it was not published" in response.content.decode()
    assert published_version(rag.framework).number == 1 and not no_draft(rag)
