import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from partnership.models import Partnership
from schools.models import Inspection, LocalIndicator, PerformanceResult, School

pytestmark = pytest.mark.django_db


def run(capsys, **options):
    call_command("generate_england", *[f"--{k}={v}" for k, v in options.items()])
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def test_generates_a_small_england_deterministically_and_replaces_it(capsys):
    counts = run(capsys, partnerships=3, schools=50, seed=7)
    assert counts["partnerships"] == 3 and counts["schools"] == 50
    assert counts["results"] == 150 and counts["inspections"] == 100 and counts["local"] == 50
    assert School.objects.count() == 50 and PerformanceResult.objects.count() == 150
    first = list(
        PerformanceResult.objects.order_by("school__urn", "academic_year").values_list(
            "school__urn", "academic_year", "ks2_rwm_expected_pct", "progress8"
        )
    )
    run(capsys, partnerships=3, schools=50, seed=7)
    assert Partnership.objects.filter(slug__startswith="england-").count() == 3
    again = list(
        PerformanceResult.objects.order_by("school__urn", "academic_year").values_list(
            "school__urn", "academic_year", "ks2_rwm_expected_pct", "progress8"
        )
    )
    assert again == first
    assert Inspection.objects.count() == 100 and LocalIndicator.objects.count() == 50


def test_facts_of_a_synthetic_school_are_valid_for_the_engine(capsys):
    from categorisation.engine.facts import validate_facts
    from categorisation.facts import school_facts

    run(capsys, partnerships=1, schools=20, seed=3)
    partnership = Partnership.objects.get(slug="england-001")
    for school in School.objects.for_partnership(partnership):
        facts = school_facts(partnership, school, "2018-19")
        validate_facts(facts)


def test_synthetic_schools_have_judgements_in_step_with_their_grades(capsys):
    run(capsys, partnerships=2, schools=200, seed=5)
    rows = list(LocalIndicator.objects.select_related("school"))
    assert len(rows) == 200
    assert all(
        r.teaching_quality and r.leadership_governance and r.likely_next_ofsted_grade in (1, 2, 3, 4) for r in rows
    )
    for name in ("behaviour_concern", "self_evaluation_accurate", "judged_securely_good", "recent_s8_with_priorities"):
        assert {getattr(r, name) for r in rows} <= {True, False}, name
    latest = {}
    for inspection in Inspection.objects.order_by("inspection_date"):
        latest[inspection.school_id] = inspection.overall_grade
    by_grade = {g: [r for r in rows if latest[r.school_id] == g] for g in (1, 2, 3, 4)}
    good = by_grade[1] + by_grade[2]
    weak = by_grade[3] + by_grade[4]
    assert good and weak

    def share(group, test):
        return sum(1 for r in group if test(r)) / len(group)

    # good schools mostly teach consistently well, weaker ones mostly do not; only good schools are securely good
    assert share(good, lambda r: r.teaching_quality == "consistently_good") > 0.6
    assert share(weak, lambda r: r.teaching_quality == "consistently_good") < 0.4
    assert not any(r.judged_securely_good for r in weak) and any(r.judged_securely_good for r in good)
    assert not any(r.recent_s8_with_priorities for r in by_grade[1] + weak)
    assert share(weak, lambda r: r.likely_next_ofsted_grade >= 3) > share(
        good, lambda r: r.likely_next_ofsted_grade >= 3
    )
    assert all(r.self_evaluation_accurate == (r.self_evaluation_grade == r.sef_validated_grade) for r in rows)


def test_each_synthetic_partnership_has_england_figures_and_the_derived_facts_can_be_worked_out(capsys):
    from categorisation.engine.derived import derive, parameters
    from categorisation.facts_source import facts_for_partnership
    from schools.models import Benchmark

    counts = run(capsys, partnerships=2, schools=30, seed=3)
    assert counts["benchmarks"] == 6
    for partnership in Partnership.objects.filter(slug__startswith="england-"):
        rows = Benchmark.objects.for_partnership(partnership)
        assert sorted(rows.values_list("academic_year", "level", "code")) == [
            (year, "england-state", "E92000001") for year in ("2016-17", "2017-18", "2018-19")
        ]
    partnership = Partnership.objects.get(slug="england-001")
    facts = facts_for_partnership(partnership, "2018-19")
    worked = {"attainment_vs_national": 0, "attendance": 0, "exclusions": 0}
    for school_facts in facts.values():
        assert school_facts["national_ks2_rwm_expected_pct"] == 65 and school_facts["national_attainment8"] == 46.7
        assert school_facts["national_attendance_pct"] == 95.3
        given = {k: v for k, v in school_facts.items() if k != "urn" and v is not None}
        derived, _, _ = derive(given, parameters(None))
        for name in worked:
            worked[name] += name in derived
    assert worked["attendance"] == len(facts) and worked["exclusions"] == len(facts)
    assert worked["attainment_vs_national"] > 0  # primaries and secondaries; special schools have no KS2 or KS4


@pytest.mark.usefixtures("quick_letters")
def test_the_demo_has_judgements_and_england_figures_once_however_often_it_is_loaded():
    from schools.models import Benchmark

    call_command("load_demo")
    Benchmark.objects.filter(partnership__slug="oldham").delete()  # a demo database from before the figures
    call_command("load_demo")
    call_command("load_demo")
    for slug in ("calderdale", "oldham", "milton-keynes"):
        partnership = Partnership.objects.get(slug=slug)
        years = Benchmark.objects.for_partnership(partnership).values_list("academic_year", flat=True)
        assert sorted(years) == ["2015-16", "2016-17", "2017-18", "2018-19"], slug
        local = LocalIndicator.objects.for_partnership(partnership)
        assert local.exists() and not local.filter(teaching_quality="").exists(), slug


def test_a_country_that_was_categorised_can_be_generated_again(capsys):
    """`make bench` leaves runs and results behind; running it again must replace them, not fail."""
    from categorisation.models import Result, Run
    from categorisation.runs import run_execute
    from categorisation.selectors import published_version
    from categorisation.services import framework_clone

    run(capsys, partnerships=2, schools=10, seed=2)
    partnership = Partnership.objects.get(slug="england-001")
    admin = get_user_model().objects.create_superuser("bench.admin", "bench@demo.invalid", None)
    framework = framework_clone(actor=admin, partnership=partnership, source_slug="milton-keynes")
    categorised = Run.objects.create(
        partnership=partnership, framework_version=published_version(framework), academic_year="2018-19"
    )
    run_execute(run_id=categorised.pk)
    assert Result.objects.filter(run=categorised).count() == 5

    counts = run(capsys, partnerships=2, schools=10, seed=2)
    assert counts["schools"] == 10 and School.objects.count() == 10
    assert not Run.objects.exists() and not Result.objects.exists()


@pytest.mark.django_db(transaction=True)  # the bench vacuums between measurements, outside any transaction
def test_the_bench_prints_each_figure_beside_its_baseline_for_a_small_country(capsys):
    run(capsys, partnerships=3, schools=40, seed=3)
    call_command("bench", "--workers=1", "--national-repeats=2", "--letters=2", "--repeats=2")
    figures = json.loads(capsys.readouterr().out)
    national = figures["national_categorisation_one_process"]
    assert national["partnerships"] == 3 and national["schools_categorised_and_stored"] == 40
    assert len(national["seconds_each"]) == len(national["baseline_each"]) == 2
    assert national["seconds"] > 0 and national["baseline_bulk_sql_seconds"] > 0
    # A run's queries do not grow with its schools: the same few for every partnership.
    assert national["queries_per_partnership_max"] <= 15
    assert figures["letters"]["letters"] == 2 and figures["letters"]["average_bytes"] > 1000
    page = figures["school_list_page"]
    assert page["schools_in_database"] == 40 and page["queries"] > page["baseline_queries"] == 1
