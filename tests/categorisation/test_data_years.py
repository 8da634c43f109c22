"""The run form and the what-if ask about the newest year the partnership has data for, not its current year,
and say in words which years have data."""

import copy
from datetime import date

from django.urls import reverse

from categorisation.forms import RunStartForm, WhatIfForm
from categorisation.services import framework_edit
from schools.selectors import academic_year_of, data_years, default_academic_year

from .conftest import RAG, inspect


def test_the_years_with_results_and_inspections(world, data, django_assert_num_queries):
    with django_assert_num_queries(2):
        years = data_years(world.a.partnership)
    assert years.results == ("2020-21", "2021-22", "2022-23")
    assert years.inspections == ("2017-18", "2018-19", "2020-21", "2023-24")
    # The newest year with results: an inspection of October 2023 alone does not make 2023-24 the default.
    assert years.latest == "2022-23"
    assert years.sentence == (
        "Data is held for 2020-21, 2021-22 and 2022-23. Ofsted inspections are held up to 2023-24."
    )


def test_with_no_results_the_newest_inspection_year_then_the_current_year(world):
    partnership = world.a.partnership
    partnership.current_academic_year = "2024-25"
    assert default_academic_year(partnership) == "2024-25"
    assert data_years(partnership).sentence == "No results or inspections are held yet: import them first."
    inspect(world.a.school, date(2019, 9, 2), 2)
    assert default_academic_year(partnership) == "2019-20"
    assert data_years(partnership).sentence == "No results are held yet. Ofsted inspections are held up to 2019-20."


def test_an_inspection_belongs_to_the_academic_year_it_falls_in():
    assert academic_year_of(2019, 8) == "2018-19" and academic_year_of(2019, 9) == "2019-20"
    assert academic_year_of(2020, 3, start_month=4) == "2019-20"
    assert academic_year_of(1999, 12) == "1999-00"


def test_the_run_form_defaults_to_the_newest_year_with_data_and_says_which(world, login, officer, rag, data):
    partnership = world.a.partnership
    partnership.current_academic_year = "2024-25"  # a year with no data yet
    partnership.save(update_fields=["current_academic_year"])
    form = RunStartForm(partnership=partnership)
    assert form.fields["academic_year"].initial == "2022-23"
    page = login(officer).get(reverse("categorisation_run_list", args=[partnership.slug])).content.decode()
    assert 'value="2022-23"' in page and 'value="2024-25"' not in page
    assert "Data is held for 2020-21, 2021-22 and 2022-23." in page


def test_the_whatif_defaults_to_the_newest_year_with_data_and_says_which(world, login, officer, rag, data):
    partnership = world.a.partnership
    partnership.current_academic_year = "2024-25"
    partnership.save(update_fields=["current_academic_year"])
    assert WhatIfForm({}, partnership=partnership).data == {"academic_year": "2022-23"}
    assert WhatIfForm({"academic_year": "2021-22"}, partnership=partnership).data == {"academic_year": "2021-22"}
    edited = copy.deepcopy(RAG)
    edited["categories"][1]["criteria"][1]["when"]["value"] = 50
    framework_edit(actor=officer, framework=rag.framework, definition=edited)
    whatif_url = reverse("categorisation_framework_whatif", args=[partnership.slug, rag.framework.slug])
    response = login(officer).get(whatif_url)
    html = response.content.decode()
    assert response.context["whatif"]["year"] == "2022-23"
    assert "With the 2022-23 data, 1 of 2 schools would change category" in html
    assert '<p class="govuk-body" id="data-years">Data is held for 2020-21, 2021-22 and 2022-23.' in html
    assert 'aria-describedby="data-years"' in html
