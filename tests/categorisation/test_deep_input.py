"""Input nested too deeply to read: the JSON editor answers a clear error and saves nothing, as the
condition text already does. Two attacks: 100,000 nested brackets (which the JSON reader cannot follow)
and a well-formed condition tree 300 levels deep (which the reader takes and the rest of the service
cannot)."""

import copy
import io
import json

import pytest
from django.urls import reverse

from categorisation.engine import FrameworkError, validate_framework
from categorisation.engine.conditions import MAX_DEPTH
from categorisation.models import FrameworkVersion

from .conftest import RAG


def json_url(world):
    return reverse(
        "categorisation_framework_json",
        kwargs={"partnership_slug": world.a.partnership.slug, "framework_slug": "rag"},
    )


def deep_condition(depth: int) -> dict:
    tree = {"fact": "ofsted_grade", "op": "eq", "value": 4}
    for n in range(depth):
        tree = {"not": tree} if n % 2 else {"all": [tree]}
    return tree


def with_deep_condition(depth: int) -> dict:
    definition = copy.deepcopy(RAG)
    definition["categories"][0]["criteria"][0]["when"] = deep_condition(depth)
    return definition


def no_draft(rag) -> bool:
    return not FrameworkVersion.objects.filter(framework=rag.framework, status="draft").exists()


BRACKETS = "[" * 100_000 + "]" * 100_000


def test_a_hundred_thousand_nested_brackets_are_a_clear_error(world, login, officer, rag):
    response = login(officer).post(json_url(world), {"definition": BRACKETS, "reason": "attack"})
    assert response.status_code == 200
    assert "nested too deeply" in response.content.decode()
    assert no_draft(rag)


def test_the_same_brackets_uploaded_as_a_file_are_a_clear_error(world, login, officer, rag):
    upload = io.BytesIO(BRACKETS.encode())
    upload.name = "deep.json"
    response = login(officer).post(json_url(world), {"upload": upload, "reason": "attack"})
    assert response.status_code == 200
    assert "nested too deeply" in response.content.decode()
    assert no_draft(rag)


def test_a_condition_three_hundred_deep_is_a_clear_error(world, login, officer, rag):
    response = login(officer).post(
        json_url(world), {"definition": json.dumps(with_deep_condition(300)), "reason": "attack"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f"nests more than {MAX_DEPTH} levels deep" in html and "Judged inadequate" in html
    assert no_draft(rag)


def test_a_condition_as_deep_as_allowed_is_saved(world, login, officer, rag):
    response = login(officer).post(
        json_url(world), {"definition": json.dumps(with_deep_condition(MAX_DEPTH - 1)), "reason": "deep but fine"}
    )
    assert response.status_code == 302
    assert not no_draft(rag)


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 300, 5000])
def test_the_validator_refuses_a_tree_too_deep_without_recursing(depth):
    with pytest.raises(FrameworkError, match="levels deep"):
        validate_framework(with_deep_condition(depth))


def test_a_decision_table_row_too_deep_is_named():
    from categorisation.shipped import load_shipped

    definition = load_shipped("milton-keynes")
    definition["rows"][0]["when"] = deep_condition(300)
    with pytest.raises(FrameworkError) as caught:
        validate_framework(definition)
    assert caught.value.errors[0].startswith(f"rows[0] ({definition['rows'][0]['id']}).when: the condition nests")


def test_anything_else_nested_too_deeply_is_refused_as_a_whole():
    definition = copy.deepcopy(RAG)
    definition["source"] = json.loads(BRACKETS[:900] + BRACKETS[-900:])  # deep, yet readable by json
    with pytest.raises(FrameworkError, match="lists and objects nest more than"):
        validate_framework(definition)
