"""Derived facts: floor standards at every boundary, the three-year trend and coasting."""

import pytest

from categorisation.engine.derived import DEFAULTS, classify_trend, derive, parameters


def floor(**facts):
    out, reasons, gaps = derive(facts, parameters(None))
    return out.get("below_floor"), reasons, gaps.get("below_floor", set())


PRIMARY_PROGRESS_OK = {"ks2_progress_reading": -5.0, "ks2_progress_maths": -5.0, "ks2_progress_writing": -7.0}
PRIMARY_PROGRESS_LOW = {"ks2_progress_reading": -5.1, "ks2_progress_maths": -5.1, "ks2_progress_writing": -7.1}


@pytest.mark.parametrize(
    ("rwm", "progress", "below"),
    [
        (65.0, PRIMARY_PROGRESS_LOW, False),  # attainment at the line is enough
        (64.9, PRIMARY_PROGRESS_LOW, True),
        (64.9, PRIMARY_PROGRESS_OK, False),  # progress exactly at -5/-5/-7 is enough
        (64.9, {**PRIMARY_PROGRESS_OK, "ks2_progress_reading": -5.1}, True),
        (64.9, {**PRIMARY_PROGRESS_OK, "ks2_progress_maths": -5.1}, True),
        (64.9, {**PRIMARY_PROGRESS_OK, "ks2_progress_writing": -7.1}, True),
        (64.9, {**PRIMARY_PROGRESS_LOW, "ks2_progress_writing": -7.0}, True),  # all three are needed
        (100.0, PRIMARY_PROGRESS_LOW, False),
    ],
)
def test_primary_floor_boundaries(rwm, progress, below):
    value, reasons, _ = floor(phase="primary", ks2_rwm_expected_pct=rwm, **progress)
    assert value is below
    assert reasons and reasons[0].startswith(f"below_floor derived as {'true' if below else 'false'}")


@pytest.mark.parametrize(
    ("p8", "upper", "below"),
    [
        (-0.51, -0.01, True),
        (-0.51, 0.0, False),  # CI upper bound not below zero
        (-0.51, 0.2, False),
        (-0.5, -0.01, False),  # P8 of exactly -0.5 is not below -0.5
        (-0.49, -0.1, False),
        (-1.2, -0.3, True),
    ],
)
def test_secondary_floor_boundaries(p8, upper, below):
    value, _, _ = floor(phase="secondary", p8=p8, p8_ci_upper=upper)
    assert value is below


def test_primary_floor_decided_by_attainment_even_with_progress_missing():
    value, _, gaps = floor(phase="primary", ks2_rwm_expected_pct=70)
    assert value is False and gaps == set()


def test_primary_floor_decided_by_one_low_progress_when_attainment_is_low():
    value, _, _ = floor(phase="primary", ks2_rwm_expected_pct=50, ks2_progress_writing=-8)
    assert value is True


def test_primary_floor_unknown_names_the_missing_inputs():
    value, _, gaps = floor(phase="primary", ks2_rwm_expected_pct=50, ks2_progress_writing=-6)
    assert value is None
    assert gaps == {"ks2_progress_reading", "ks2_progress_maths"}


def test_secondary_floor_decided_false_by_p8_alone():
    value, _, gaps = floor(phase="secondary", p8=0.1)
    assert value is False and gaps == set()


def test_secondary_floor_unknown_without_ci():
    value, _, gaps = floor(phase="secondary", p8=-0.7)
    assert value is None and gaps == {"p8_ci_upper"}


def test_floor_unknown_without_phase_and_false_where_no_floor_applies():
    assert floor(ks2_rwm_expected_pct=40)[0] is None
    assert floor(ks2_rwm_expected_pct=40)[2] == {"phase"}
    value, reasons, _ = floor(phase="special")
    assert value is False and "no floor standard applies" in reasons[0]


def test_given_below_floor_is_never_overridden():
    value, reasons, _ = floor(phase="primary", ks2_rwm_expected_pct=90, below_floor=True)
    assert value is True and reasons == []


def test_floor_thresholds_are_framework_parameters():
    p = parameters({"floor": {"primary_rwm_pct": 60}})
    out, _, _ = derive({"phase": "primary", "ks2_rwm_expected_pct": 61, **PRIMARY_PROGRESS_LOW}, p)
    assert out["below_floor"] is False
    assert DEFAULTS["floor"]["primary_rwm_pct"] == 65.0  # the defaults are untouched


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([60, 61, 60], "consistent"),
        ([60, 62, 62], "consistent"),
        ([60, 63, 66], "improving"),
        ([60, 59, 66], "improving"),
        ([66, 64.5, 63], "small_decline"),
        ([70, 67, 65], "declining"),
        ([70, 66, 60], "sharp_decline"),
        ([60, 70, 60], "inconsistent"),
        ([60, 55, 62], "inconsistent"),
    ],
)
def test_classify_trend(values, expected):
    assert classify_trend(values, tolerance=2.0, decline=5.0, sharp=10.0) == expected


def test_data_trend_derived_from_the_phase_series_last_three_years():
    out, reasons, _ = derive({"phase": "secondary", "p8_history": [0.9, 0.1, 0.0, -0.6]}, parameters(None))
    assert out["data_trend"] == "sharp_decline"
    assert any(r.startswith("data_trend derived as 'sharp_decline'") for r in reasons)


def test_data_trend_unknown_with_a_short_or_gappy_history():
    for history in ([60, 61], [60, None, 61]):
        out, _, gaps = derive({"phase": "primary", "ks2_rwm_expected_pct_history": history}, parameters(None))
        assert "data_trend" not in out
        assert gaps["data_trend"] == {"ks2_rwm_expected_pct_history"}


def test_trend_thresholds_are_framework_parameters():
    p = parameters({"trend": {"primary": {"tolerance": 5.0}}})
    out, _, _ = derive({"phase": "primary", "ks2_rwm_expected_pct_history": [60, 63, 64]}, p)
    assert out["data_trend"] == "consistent"
    assert p["trend"]["primary"]["sharp"] == 10.0


def test_secondary_coasting_needs_every_year_under_the_thresholds():
    base = {"phase": "secondary", "p8_history": [-0.3, -0.4, -0.3], "p8_ci_upper_history": [-0.05, -0.1, -0.02]}
    out, _, _ = derive(base, parameters(None))
    assert out["coasting"] is True
    out, _, _ = derive({**base, "p8_ci_upper_history": [-0.05, 0.1, -0.02]}, parameters(None))
    assert out["coasting"] is False


def test_primary_coasting():
    base = {
        "phase": "primary",
        "ks2_rwm_expected_pct_history": [60, 62, 61],
        "ks2_progress_reading_history": [-3, -3, -3],
        "ks2_progress_maths_history": [0, 0, 0],
        "ks2_progress_writing_history": [0, 0, 0],
    }
    assert derive(base, parameters(None))[0]["coasting"] is True
    assert derive({**base, "ks2_rwm_expected_pct_history": [60, 85, 61]}, parameters(None))[0]["coasting"] is False
    _, _, gaps = derive({**base, "ks2_progress_maths_history": None}, parameters(None))
    assert gaps["coasting"] == {"ks2_progress_maths_history"}


def test_ofsted_category_is_implied_null_below_grade_4():
    out, _, _ = derive({"ofsted_grade": 2}, parameters(None))
    assert "ofsted_category" in out and out["ofsted_category"] is None
    out, _, _ = derive({"ofsted_grade": 4}, parameters(None))
    assert "ofsted_category" not in out


def test_consecutive_ri_is_implied_zero_unless_the_last_grade_is_ri():
    assert derive({"ofsted_grade": 2}, parameters(None))[0]["consecutive_ri"] == 0
    assert "consecutive_ri" not in derive({"ofsted_grade": 3}, parameters(None))[0]
    assert derive({"ofsted_grade": 3, "consecutive_ri": 2}, parameters(None))[0]["consecutive_ri"] == 2
