"""Measures against national derived from the data: attainment_vs_national, progress_vs_average, progress_3yr,
attendance and exclusions. Boundaries, missing data, given-wins-over-derived, parameters, and end to end
through the shipped Calderdale and Oldham frameworks with no officer judgements typed in."""

import pytest

from categorisation.engine import FrameworkError, evaluate, validate_framework
from categorisation.engine.derived import DEFAULTS, derive, parameters
from categorisation.shipped import load_shipped

MEASURES = ("attainment_vs_national", "progress_vs_average", "progress_3yr", "attendance", "exclusions")


def derived(name, params=None, **facts):
    """(value, reasons about name, missing inputs) for one derived fact."""
    out, reasons, gaps = derive(facts, parameters(params))
    mine = [r for r in reasons if r.startswith(f"{name} derived as ")]
    return out.get(name), mine, gaps.get(name, set())


# --------------------------------------------------------------------------------------------------
# attainment_vs_national


@pytest.mark.parametrize(
    ("school", "national", "expected"),
    [
        (62.1, 60, "above"),
        (62.0, 60, "in_line"),  # the in-line band includes its edges
        (62.9, 60.9, "in_line"),  # exactly +2 despite floating point
        (58.0, 60, "in_line"),
        (57.9, 60, "below"),
        (50.1, 60, "below"),
        (50.0, 60, "well_below"),  # well below at -10 or under
        (30.0, 60, "well_below"),
    ],
)
def test_primary_attainment_boundaries(school, national, expected):
    value, reasons, gaps = derived(
        "attainment_vs_national", phase="primary", ks2_rwm_expected_pct=school, national_ks2_rwm_expected_pct=national
    )
    assert value == expected and gaps == set()
    assert reasons[0].startswith(f"attainment_vs_national derived as '{expected}': ks2_rwm_expected_pct ")


@pytest.mark.parametrize(
    ("a8", "expected"),
    [(48.4, "above"), (48.3, "in_line"), (44.3, "in_line"), (44.2, "below"), (41.4, "below"), (41.3, "well_below")],
)
def test_secondary_attainment_boundaries(a8, expected):
    value, _, _ = derived("attainment_vs_national", phase="secondary", attainment8=a8, national_attainment8=46.3)
    assert value == expected


def test_attainment_missing_inputs_are_named():
    value, reasons, gaps = derived("attainment_vs_national", phase="primary", ks2_rwm_expected_pct=70)
    assert value is None and reasons == [] and gaps == {"national_ks2_rwm_expected_pct"}
    assert derived("attainment_vs_national", phase="secondary", national_attainment8=46.3)[2] == {"attainment8"}
    assert derived("attainment_vs_national", ks2_rwm_expected_pct=70, national_ks2_rwm_expected_pct=60)[2] == {"phase"}
    # A null (as the fact builders give for a missing figure) is not known either.
    assert derived(
        "attainment_vs_national", phase="primary", ks2_rwm_expected_pct=None, national_ks2_rwm_expected_pct=60
    )[2] == {"ks2_rwm_expected_pct"}


def test_attainment_left_to_an_officer_for_special_schools():
    value, _, gaps = derived(
        "attainment_vs_national", phase="special", ks2_rwm_expected_pct=10, national_ks2_rwm_expected_pct=60
    )
    assert value is None and gaps == {"attainment_vs_national"}


# --------------------------------------------------------------------------------------------------
# progress_vs_average


def ks2(reading, writing, maths):
    return {
        "phase": "primary",
        "ks2_progress_reading": reading,
        "ks2_progress_writing": writing,
        "ks2_progress_maths": maths,
    }


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ((0.0, 0.0, 0.0), "at_least_average"),  # 0 is average, not below
        ((-0.1, 0.0, 2.0), "at_least_average"),  # one subject below is not "2+ subjects"
        ((-0.1, -0.1, 2.0), "below_average_2plus_subjects"),
        ((-3.0, -3.0, 1.0), "below_average_2plus_subjects"),  # -3 is below, not well below
        ((-3.1, -2.0, 1.0), "below_average_2plus_subjects"),  # one well below, one below
        ((-3.1, -3.1, 1.0), "well_below_average_2plus_subjects"),
        ((-6.0, -4.0, -5.0), "well_below_average_2plus_subjects"),
    ],
)
def test_primary_progress_boundaries(scores, expected):
    value, reasons, _ = derived("progress_vs_average", **ks2(*scores))
    assert value == expected
    assert reasons[0].startswith(f"progress_vs_average derived as '{expected}'")


def test_primary_progress_with_a_missing_score():
    facts = ks2(-4.0, -3.5, None)
    assert derived("progress_vs_average", **facts)[0] == "well_below_average_2plus_subjects"  # decided already
    value, _, gaps = derived("progress_vs_average", **ks2(-4.0, 1.0, None))
    assert value is None and gaps == {"ks2_progress_maths"}  # maths could make it well below
    value, _, gaps = derived("progress_vs_average", **ks2(1.0, 1.0, None))
    assert value == "at_least_average" and gaps == set()  # maths cannot change it
    value, _, gaps = derived("progress_vs_average", **ks2(None, None, 1.0))
    assert value is None and gaps == {"ks2_progress_reading", "ks2_progress_writing"}


@pytest.mark.parametrize(
    ("p8", "upper", "expected"),
    [
        (-0.2, 0.0, "at_least_average"),  # CI reaches 0: not significantly below
        (-0.2, -0.01, "below_average_2plus_subjects"),
        (-0.5, -0.2, "below_average_2plus_subjects"),  # P8 of exactly -0.5 is not well below
        (-0.51, -0.2, "well_below_average_2plus_subjects"),
        (-0.9, 0.05, "at_least_average"),
    ],
)
def test_secondary_progress_boundaries(p8, upper, expected):
    value, _, _ = derived("progress_vs_average", phase="secondary", p8=p8, p8_ci_upper=upper)
    assert value == expected


def test_secondary_progress_missing_inputs():
    assert derived("progress_vs_average", phase="secondary", p8=-0.7)[2] == {"p8_ci_upper"}
    assert derived("progress_vs_average", phase="secondary", p8_ci_upper=-0.1)[2] == {"p8"}
    assert derived("progress_vs_average", phase="secondary", p8_ci_upper=0.3)[0] == "at_least_average"


# --------------------------------------------------------------------------------------------------
# progress_3yr


def ks2_history(reading, writing, maths):
    return {
        "phase": "primary",
        "ks2_progress_reading_history": reading,
        "ks2_progress_writing_history": writing,
        "ks2_progress_maths_history": maths,
    }


def test_primary_progress_3yr_consistently_above():
    value, reasons, _ = derived("progress_3yr", **ks2_history([0.0, 1.0, 0.5], [0.2, 0.0, 0.1], [1, 2, 3]))
    assert value == "consistently_above_national"
    assert reasons[0].startswith("progress_3yr derived as 'consistently_above_national': 3 complete year(s)")


def test_primary_progress_3yr_one_score_below_zero_is_not_consistent():
    value, _, _ = derived("progress_3yr", **ks2_history([0.0, 1.0, 0.5], [0.2, -0.1, 0.1], [1, 2, 3]))
    assert value == "not_consistently_above_national"


@pytest.mark.parametrize(
    ("writing", "expected"),
    [
        ([-7.1, -7.1, 0.0], "inadequate"),  # two years under the writing floor level
        ([-7.0, -7.0, 0.0], "not_consistently_above_national"),  # at the floor level is not under it
        ([-7.1, 0.0, 0.0], "not_consistently_above_national"),  # one year is not enough
    ],
)
def test_primary_progress_3yr_inadequate_needs_two_years_under_the_floor_level(writing, expected):
    value, _, _ = derived("progress_3yr", **ks2_history([0, 0, 0], writing, [0, 0, 0]))
    assert value == expected


def test_secondary_progress_3yr():
    assert derived("progress_3yr", phase="secondary", p8_history=[0.0, 0.2, 0.1])[0] == "consistently_above_national"
    assert derived("progress_3yr", phase="secondary", p8_history=[0.1, -0.2, 0.1])[0] == (
        "not_consistently_above_national"
    )
    assert derived("progress_3yr", phase="secondary", p8_history=[-0.6, -0.1, -0.51])[0] == "inadequate"
    assert derived("progress_3yr", phase="secondary", p8_history=[-0.5, -0.5, -0.5])[0] == (
        "not_consistently_above_national"
    )


def test_progress_3yr_skips_years_without_results_and_needs_two():
    # 2020/21 had no published KS2 results: two complete years are enough.
    value, reasons, _ = derived("progress_3yr", **ks2_history([None, 1, 1], [None, 1, 1], [None, 1, 1]))
    assert value == "consistently_above_national" and "2 complete year(s)" in reasons[0]
    value, _, gaps = derived("progress_3yr", **ks2_history([None, None, 1], [None, 1, 1], [None, 1, 1]))
    assert value is None and gaps == {
        "ks2_progress_reading_history",
        "ks2_progress_writing_history",
        "ks2_progress_maths_history",
    }
    value, _, gaps = derived("progress_3yr", phase="secondary", p8_history=[0.3])
    assert value is None and gaps == {"p8_history"}
    value, _, gaps = derived("progress_3yr", **ks2_history([1, 1, 1], [1, 1, 1], None))
    assert value is None and gaps == {"ks2_progress_maths_history"}
    # Only the last three years count: an old weak year is forgotten.
    assert derived("progress_3yr", phase="secondary", p8_history=[-1, -1, 0, 0, 0])[0] == (
        "consistently_above_national"
    )


# --------------------------------------------------------------------------------------------------
# attendance


def absence(att, pa, national_att=94.0, national_pa=20.0):
    return {
        "attendance_pct": att,
        "persistent_absence_pct": pa,
        "national_attendance_pct": national_att,
        "national_persistent_absence_pct": national_pa,
    }


@pytest.mark.parametrize(
    ("att", "pa", "expected"),
    [
        (94.0, 20.0, "good"),
        (93.5, 22.0, "good"),  # at both good edges
        (93.4, 20.0, "not_consistently_good"),
        (94.0, 22.1, "not_consistently_good"),
        (92.0, 30.0, "not_consistently_good"),  # at both inadequate edges
        (91.9, 20.0, "inadequate"),
        (96.0, 30.1, "inadequate"),
    ],
)
def test_attendance_boundaries(att, pa, expected):
    value, reasons, _ = derived("attendance", **absence(att, pa))
    assert value == expected
    assert reasons[0].startswith(f"attendance derived as '{expected}': good within 0.5 points")


def test_attendance_missing_inputs():
    value, _, gaps = derived("attendance", **absence(94.0, None))
    assert value is None and gaps == {"persistent_absence_pct"}
    value, _, gaps = derived("attendance", attendance_pct=95.0, persistent_absence_pct=10.0)
    assert value is None and gaps == {"national_attendance_pct", "national_persistent_absence_pct"}
    # Very low attendance is inadequate whatever the persistent absence.
    assert derived("attendance", attendance_pct=88.0, national_attendance_pct=94.0)[0] == "inadequate"


# --------------------------------------------------------------------------------------------------
# exclusions


@pytest.mark.parametrize(
    ("rate", "history", "expected"),
    [
        (0.0, None, "at_or_reducing_to_national"),
        (4.0, None, "at_or_reducing_to_national"),  # at national
        (8.1, None, "high_or_rising"),  # over twice national
        (8.0, [8.0, 8.0, 8.0], "few_not_reducing"),  # exactly twice national: the history decides
        (6.0, [7.0, 6.5, 6.0], "at_or_reducing_to_national"),  # fell by more than 10%
        (6.0, [6.6, 6.3, 6.0], "few_not_reducing"),  # fell by less than 10%
        (6.0, [5.0, 5.5, 6.0], "high_or_rising"),  # rose by more than 10%
        (6.0, [9.0, 6.5, None, 6.0], "few_not_reducing"),  # last three values only, nulls skipped: 6.5 to 6
        (6.0, [None, 8.0, 6.0], "at_or_reducing_to_national"),
    ],
)
def test_exclusions(rate, history, expected):
    facts = {"suspensions_rate": rate, "national_suspensions_rate": 4.0}
    if history is not None:
        facts["suspensions_rate_history"] = history
    value, reasons, gaps = derived("exclusions", **facts)
    assert value == expected and gaps == set()
    assert reasons[0].startswith(f"exclusions derived as '{expected}': suspensions_rate ")


def test_exclusions_missing_inputs():
    assert derived("exclusions", suspensions_rate=1.0)[2] == {"national_suspensions_rate"}
    value, _, gaps = derived("exclusions", suspensions_rate=6.0, national_suspensions_rate=4.0)
    assert value is None and gaps == {"suspensions_rate_history"}
    value, _, gaps = derived(
        "exclusions", suspensions_rate=6.0, national_suspensions_rate=4.0, suspensions_rate_history=[None, None, 6.0]
    )
    assert value is None and gaps == {"suspensions_rate_history"}


# --------------------------------------------------------------------------------------------------
# Given wins, parameters


FULL_DATA = {
    "phase": "primary",
    **absence(80.0, 50.0),
    **ks2(-9, -9, -9),
    **ks2_history([-9, -9, -9], [-9, -9, -9], [-9, -9, -9]),
    "ks2_rwm_expected_pct": 20,
    "national_ks2_rwm_expected_pct": 60,
    "suspensions_rate": 20.0,
    "national_suspensions_rate": 2.0,
}
GIVEN = {
    "attainment_vs_national": "above",
    "progress_vs_average": "at_least_average",
    "progress_3yr": "consistently_above_national",
    "attendance": "good",
    "exclusions": "at_or_reducing_to_national",
}


def test_the_data_alone_derives_every_measure():
    out, _, gaps = derive(FULL_DATA, parameters(None))
    assert {m: out[m] for m in MEASURES} == {
        "attainment_vs_national": "well_below",
        "progress_vs_average": "well_below_average_2plus_subjects",
        "progress_3yr": "inadequate",
        "attendance": "inadequate",
        "exclusions": "high_or_rising",
    }
    assert not set(gaps) & set(MEASURES)


@pytest.mark.parametrize("name", MEASURES)
def test_a_given_value_wins_over_the_derived_one(name):
    out, reasons, _ = derive({**FULL_DATA, name: GIVEN[name]}, parameters(None))
    assert out[name] == GIVEN[name]
    assert not any(r.startswith(f"{name} derived as") for r in reasons)


def test_thresholds_are_framework_parameters():
    facts = {"phase": "primary", "ks2_rwm_expected_pct": 57, "national_ks2_rwm_expected_pct": 60}
    assert derived("attainment_vs_national", **facts)[0] == "below"
    assert derived("attainment_vs_national", {"attainment": {"primary_in_line_band": 3}}, **facts)[0] == "in_line"
    assert derived("attendance", {"attendance": {"good_pa_gap": 0}}, **absence(94.0, 21.0))[0] == (
        "not_consistently_good"
    )
    assert derived("progress_vs_average", {"progress": {"subjects": 1}}, **ks2(-0.1, 1, 1))[0] == (
        "below_average_2plus_subjects"
    )
    assert (
        derived("exclusions", {"exclusions": {"high_ratio": 1.2}}, suspensions_rate=5, national_suspensions_rate=4)[0]
        == "high_or_rising"
    )
    assert (
        derived("progress_3yr", {"progress_3yr": {"inadequate_years": 1}}, phase="secondary", p8_history=[0, 0, -0.6])[
            0
        ]
        == "inadequate"
    )
    assert DEFAULTS["attainment"]["primary_in_line_band"] == 2.0  # the defaults are untouched


@pytest.mark.parametrize("slug", ["calderdale", "oldham", "milton-keynes"])
def test_shipped_frameworks_validate_and_carry_their_thresholds(slug):
    fw = load_shipped(slug)
    for section, values in fw["parameters"].items():
        assert values == DEFAULTS[section], section  # the shipped values are the documented defaults
    assert any("(interpretation)" in note for note in fw["notes"])


def test_unknown_measure_parameters_are_refused():
    fw = {**load_shipped("calderdale"), "parameters": {"attendance": {"good_gap": 1}, "exclusions": {"years": "x"}}}
    with pytest.raises(FrameworkError) as info:
        validate_framework(fw)
    assert "parameters.attendance.good_gap: unknown parameter" in info.value.errors
    assert "parameters.exclusions.years: 'x' is not a number" in info.value.errors


# --------------------------------------------------------------------------------------------------
# End to end: shipped frameworks on real-shaped data, no officer judgements typed in


@pytest.fixture(scope="module")
def calderdale():
    return load_shipped("calderdale")


@pytest.fixture(scope="module")
def oldham():
    return load_shipped("oldham")


# As the fact builders give them: inspection facts, the year's data and histories (2020/21 without
# results), the England figures; no judgement facts at all.
TYPICAL_PRIMARY = {
    "urn": "100001",
    "phase": "primary",
    "ofsted_grade": 2,
    "ofsted_category": None,
    "consecutive_ri": 0,
    "safeguarding_effective": True,
    "ks2_rwm_expected_pct": 61,
    "ks2_progress_reading": 0.4,
    "ks2_progress_writing": -0.8,
    "ks2_progress_maths": 1.1,
    "attendance_pct": 94.6,
    "persistent_absence_pct": 16.0,
    "suspensions_rate": 1.0,
    "permanent_exclusions": 0,
    "ks2_rwm_expected_pct_history": [None, 58, 61],
    "ks2_progress_reading_history": [None, 0.5, 0.4],
    "ks2_progress_writing_history": [None, 0.2, -0.8],
    "ks2_progress_maths_history": [None, 1.0, 1.1],
    "national_ks2_rwm_expected_pct": 60,
    "national_attainment8": 46.3,
    "national_attendance_pct": 94.5,
    "national_persistent_absence_pct": 16.2,
    "national_suspensions_rate": 2.5,
}

TYPICAL_RI_SECONDARY = {
    "urn": "100002",
    "phase": "secondary",
    "ofsted_grade": 3,
    "consecutive_ri": 1,
    "safeguarding_effective": True,
    "attainment8": 43.0,
    "p8": -0.3,
    "p8_ci_upper": -0.1,
    "p8_ci_lower": -0.5,
    "attendance_pct": 89.5,
    "persistent_absence_pct": 29.0,
    "suspensions_rate": 25.0,
    "suspensions_rate_history": [24.0, 26.0, 25.0],
    "p8_history": [None, -0.2, -0.3],
    "p8_ci_upper_history": [None, 0.0, -0.1],
    "national_attainment8": 46.3,
    "national_attendance_pct": 90.5,
    "national_persistent_absence_pct": 28.0,
    "national_suspensions_rate": 18.0,
}


def test_typical_good_primary_is_green_in_calderdale_without_judgements(calderdale):
    result = evaluate(calderdale, TYPICAL_PRIMARY)
    assert result.category == "GREEN" and result.missing == []
    assert result.reasons[0].startswith(
        "best fit: RED 0 of 7 (up to 4 with missing facts), AMBER 0 of 9 (up to 4 with missing facts), GREEN 6 of 8"
    )
    for line in (
        "attainment_vs_national derived as 'in_line'",
        "progress_vs_average derived as 'at_least_average'",
        "attendance derived as 'good'",
        "exclusions derived as 'at_or_reducing_to_national'",
    ):
        assert any(r.startswith(line) for r in result.reasons), line


def test_typical_ri_secondary_is_amber_in_calderdale_without_judgements(calderdale):
    result = evaluate(calderdale, TYPICAL_RI_SECONDARY)
    assert result.category == "AMBER" and result.missing == []
    assert result.reasons[0].startswith("best fit: RED 0 of 7 (up to 4 with missing facts), AMBER 5 of 9")
    assert any(r.startswith("exclusions derived as 'few_not_reducing'") for r in result.reasons)


def test_without_the_suspensions_history_the_ri_secondary_needs_the_finance_judgement(calderdale):
    facts = {k: v for k, v in TYPICAL_RI_SECONDARY.items() if k != "suspensions_rate_history"}
    result = evaluate(calderdale, facts)
    assert result.category is None
    assert "exclusions" in result.missing and "finance_concern" in result.missing
    assert "exclusions is missing and could not be derived: give it, or give suspensions_rate_history" in result.reasons
    # finance_concern comes from the LA's local data: with it RED can no longer catch up.
    assert evaluate(calderdale, {**facts, "finance_concern": "none"}).category == "AMBER"


def test_weak_data_makes_red_in_calderdale_without_judgements(calderdale):
    facts = {
        **TYPICAL_RI_SECONDARY,
        "attainment8": 38.0,
        "p8": -0.9,
        "p8_ci_upper": -0.6,
        "attendance_pct": 85.0,
        "suspensions_rate": 40.0,
    }
    result = evaluate(calderdale, facts)
    assert result.category == "RED"
    assert result.reasons[0].startswith("best fit: RED 4 of 7")


def test_without_national_figures_calderdale_names_them(calderdale):
    facts = {k: v for k, v in TYPICAL_PRIMARY.items() if not k.startswith("national_")}
    result = evaluate(calderdale, facts)
    assert result.category is None
    assert {"attainment_vs_national", "attendance", "exclusions"} <= set(result.missing)
    assert (
        "attainment_vs_national is missing and could not be derived: give it, or give national_ks2_rwm_expected_pct"
    ) in result.reasons


def test_oldham_still_needs_its_intensive_judgements(oldham):
    result = evaluate(oldham, TYPICAL_PRIMARY)
    assert result.category is None
    assert result.missing == ["leadership_governance", "likely_next_ofsted_grade", "outward_facing", "teaching_quality"]


def test_oldham_with_the_judgements_given_and_the_data_derived(oldham):
    judgements = {
        "likely_next_ofsted_grade": 2,
        "teaching_quality": "consistently_good",
        "leadership_governance": "effective",
        "outward_facing": "fully",
    }
    result = evaluate(oldham, {**TYPICAL_PRIMARY, **judgements})
    # Writing progress fell below average this year: progress not consistently above national.
    assert result.category == "Targeted"
    assert (
        "Targeted: Progress not consistently above national over three years "
        "(progress_3yr='not_consistently_above_national')"
    ) in result.reasons
    assert any(r.startswith("progress_3yr derived as 'not_consistently_above_national'") for r in result.reasons)
    # Universal must rule out coasting, which needs three complete years (a year after 2020/21).
    steady = {
        **TYPICAL_PRIMARY,
        **judgements,
        "judged_securely_good": True,
        "finance_concern": "none",
        "self_evaluation_accurate": True,
        "ks2_rwm_expected_pct_history": [60, 58, 61],
        "ks2_progress_reading_history": [0.1, 0.5, 0.4],
        "ks2_progress_writing_history": [0.0, 0.2, 0.3],
        "ks2_progress_maths_history": [0.6, 1.0, 1.1],
    }
    result = evaluate(oldham, steady)
    assert result.category == "Universal"
    assert any(r.startswith("progress_3yr derived as 'consistently_above_national'") for r in result.reasons)
    gap_year = {**steady, "ks2_progress_writing_history": [None, 0.2, 0.3]}
    assert evaluate(oldham, gap_year).missing == ["coasting"]


def test_oldham_inadequate_attendance_is_intensive_whatever_is_missing(oldham):
    result = evaluate(oldham, {**TYPICAL_PRIMARY, "attendance_pct": 90.0})
    assert result.category == "Intensive" and result.missing == []
    assert any(r.startswith("attendance derived as 'inadequate'") for r in result.reasons)
