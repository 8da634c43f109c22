"""Invented, realistic school data: Ofsted histories, three years of results and LA judgements, and
England's figures for those years (Benchmark rows), so the facts compared with national can be worked out.

Used by load_demo to give the demo schools figures, and by generate_england to build a synthetic
country for benchmarks. Deterministic for a given seed. Nothing here is a real school's data; the England
figures are close to the published national statistics of those years.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from partnership.actors import system_actor
from schools.models import Benchmark, Grade, Inspection, LocalIndicator, PerformanceResult, Phase, School

YEARS = ("2016-17", "2017-18", "2018-19")
# The year before the invented years: the demo adds its results (``add_earlier_results``) so that its
# categorisation of the year before the latest has three years of results behind it.
EARLIER_YEAR = "2015-16"
GRADE_WEIGHTS = (
    (Grade.OUTSTANDING, 0.17),
    (Grade.GOOD, 0.64),
    (Grade.REQUIRES_IMPROVEMENT, 0.15),
    (Grade.INADEQUATE, 0.04),
)

ENGLAND_CODE = "E92000001"
# England (state-funded schools) by year: roughly the published figures
NATIONAL_FIGURES = {
    # The last year of the old GCSE grades: no grade 5 English and maths figure.
    "2015-16": {
        "ks2_rwm_expected_pct": "53",
        "ks2_rwm_high_pct": "5",
        "attainment8": "48.5",
        "progress8": "-0.03",
        "eyfs_gld_pct": "69.3",
        "phonics_pct": "81",
        "attendance_pct": "95.4",
        "persistent_absence_pct": "10.5",
        "suspensions_rate": "4.29",
    },
    "2016-17": {
        "ks2_rwm_expected_pct": "64",
        "ks2_rwm_high_pct": "9",
        "attainment8": "44.6",
        "progress8": "-0.03",
        "ks4_basics_95_pct": "42.6",
        "eyfs_gld_pct": "70.7",
        "phonics_pct": "81",
        "attendance_pct": "95.3",
        "persistent_absence_pct": "10.8",
        "suspensions_rate": "4.76",
    },
    "2017-18": {
        "ks2_rwm_expected_pct": "64",
        "ks2_rwm_high_pct": "10",
        "attainment8": "46.5",
        "progress8": "-0.02",
        "ks4_basics_95_pct": "43.3",
        "eyfs_gld_pct": "71.5",
        "phonics_pct": "82",
        "attendance_pct": "95.2",
        "persistent_absence_pct": "11.2",
        "suspensions_rate": "5.08",
    },
    "2018-19": {
        "ks2_rwm_expected_pct": "65",
        "ks2_rwm_high_pct": "11",
        "attainment8": "46.7",
        "progress8": "-0.03",
        "ks4_basics_95_pct": "43.2",
        "eyfs_gld_pct": "71.8",
        "phonics_pct": "82",
        "attendance_pct": "95.3",
        "persistent_absence_pct": "10.9",
        "suspensions_rate": "5.36",
    },
}

SYSTEM = system_actor("the synthetic England for benchmarks")


def _d(value: float, places: int = 1) -> Decimal:
    return Decimal(f"{value:.{places}f}")


def _clip(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def _grade(rng: random.Random) -> int:
    roll, total = rng.random(), 0.0
    for grade, weight in GRADE_WEIGHTS:
        total += weight
        if roll < total:
            return grade
    return Grade.GOOD


def _near(rng: random.Random, grade: int) -> int:
    return int(_clip(grade + rng.choice((0, 0, 0, 0, -1, 1)), 1, 4))


def invent_school_data(rng: random.Random, school: School, years=YEARS, judgement_rng: random.Random | None = None):
    """Two graded inspections, a result per year and an LA judgement for the last year, all unsaved.

    The officers' judgements are drawn from ``judgement_rng`` (``rng`` if not given), so adding them left the
    inspections and results of a seed as they were."""
    strength = rng.gauss(0, 1)  # one hidden quality per school, so grades and results agree
    grade = int(_clip(round(2.05 - 0.6 * strength + rng.gauss(0, 0.45)), 1, 4)) if rng.random() < 0.8 else _grade(rng)
    last_day = date(int(years[-1][:4]) + 1, 7, 15)
    latest_on = last_day - timedelta(days=rng.randint(60, 4 * 365))
    previous_on = latest_on - timedelta(days=rng.randint(2 * 365, 5 * 365))
    previous_grade = _near(rng, grade) if grade != Grade.REQUIRES_IMPROVEMENT else rng.choice((2, 3, 3))
    inspections = []
    for on, overall in ((previous_on, previous_grade), (latest_on, grade)):
        category = ""
        if overall == Grade.INADEQUATE:
            category = "SM" if rng.random() < 0.55 else "SW"
        inspections.append(
            Inspection(
                partnership_id=school.partnership_id,
                school=school,
                inspection_date=on,
                inspection_type="s5",
                overall_grade=overall,
                leadership_grade=_near(rng, overall),
                category=category,
                safeguarding_effective=not (overall == Grade.INADEQUATE and rng.random() < 0.5),
                source="invented",
            )
        )
    results = []
    drift = rng.gauss(0, 0.6)
    for index, year in enumerate(years):
        trend = strength + drift * (index - 1)
        result = PerformanceResult(
            partnership_id=school.partnership_id, school=school, academic_year=year, source="invented"
        )
        if school.phase == Phase.SECONDARY:
            p8 = _clip(0.35 * trend + rng.gauss(0, 0.2), -2.5, 2.0)
            half_width = rng.uniform(0.12, 0.3)
            result.ks4_pupils = rng.randint(90, 260)
            result.progress8 = _d(p8, 2)
            result.p8_ci_lower, result.p8_ci_upper = _d(p8 - half_width, 2), _d(p8 + half_width, 2)
            result.attainment8 = _d(_clip(46 + 4 * p8 + rng.gauss(0, 3), 15, 80), 1)
            result.ks4_basics_95_pct = _d(_clip(43 + 12 * p8 + rng.gauss(0, 6), 2, 98), 0)
        elif school.phase == Phase.PRIMARY and (school.age_high or 11) >= 11:
            result.ks2_pupils = rng.randint(15, 90)
            result.ks2_rwm_expected_pct = _d(_clip(65 + 9 * trend + rng.gauss(0, 6), 5, 100), 0)
            result.ks2_rwm_high_pct = _d(_clip(10 + 3 * trend + rng.gauss(0, 3), 0, 60), 0)
            for subject in ("reading", "writing", "maths"):
                setattr(result, f"ks2_progress_{subject}", _d(_clip(1.2 * trend + rng.gauss(0, 1.6), -12, 10), 1))
        if school.phase == Phase.PRIMARY:
            result.phonics_pct = _d(_clip(82 + 4 * trend + rng.gauss(0, 5), 30, 100), 0)
            result.eyfs_gld_pct = _d(_clip(71 + 4 * trend + rng.gauss(0, 6), 30, 100), 0)
        result.attendance_pct = _d(_clip(95.2 + 0.5 * trend + rng.gauss(0, 0.6), 85, 99), 1)
        result.persistent_absence_pct = _d(_clip(10 - 2.5 * trend + rng.gauss(0, 2), 1, 40), 1)
        result.suspensions_rate = _d(_clip(3 - 1.5 * trend + rng.gauss(0, 1.5), 0, 30), 2)
        result.permanent_exclusions = max(0, int(rng.gauss(0.3 - 0.4 * strength, 0.6)))
        results.append(result)
    local = LocalIndicator(
        partnership_id=school.partnership_id,
        school=school,
        academic_year=years[-1],
        source="invented",
        self_evaluation_grade=int(_clip(grade - (1 if rng.random() < 0.25 else 0), 1, 4)),
        sef_validated_grade=int(_clip(grade - (1 if strength > 0.8 else 0), 1, 4)),
        finance_concern=rng.choices(("none", "concern", "serious"), (0.8, 0.16, 0.04))[0],
        complaints=max(0, int(rng.gauss(1, 1.2))),
        outward_facing=rng.choices(("fully", "partly", "not_engaged"), (0.7, 0.25, 0.05))[0],
    )
    _invent_judgements(judgement_rng or rng, local, strength, grade, inspections[-1].leadership_grade)
    return inspections, results, local


def _invent_judgements(rng: random.Random, local: LocalIndicator, strength: float, grade: int, leadership: int):
    """The officers' judgements, in step with the school's hidden strength and its latest grades: a strong
    Good school is mostly consistently good teaching and effective leadership, an inadequate one mostly not."""
    teaching = 0.5 * strength - 0.6 * (grade - 2) + rng.gauss(0, 0.4)
    local.teaching_quality = (
        "consistently_good" if teaching > -0.35 else "not_consistently_good" if teaching > -1.2 else "insufficient_good"
    )
    lead = 0.4 * strength - 0.6 * (leadership - 2) + rng.gauss(0, 0.4)
    local.leadership_governance = (
        "effective" if lead > -0.35 else "not_consistently_effective" if lead > -1.2 else "ineffective"
    )
    # the next grade: between the current one and what the school's strength suggests
    likely = 0.5 * grade + 0.5 * (2.05 - 0.6 * strength) + rng.gauss(0, 0.3)
    local.likely_next_ofsted_grade = int(_clip(round(likely), 1, 4))
    if grade == Grade.INADEQUATE or strength < -1.5:
        concern = 0.6
    else:
        concern = 0.2 if grade == Grade.REQUIRES_IMPROVEMENT else 0.04
    local.behaviour_concern = rng.random() < concern
    local.self_evaluation_accurate = local.self_evaluation_grade == local.sef_validated_grade
    local.judged_securely_good = (
        grade <= Grade.GOOD
        and local.sef_validated_grade <= Grade.GOOD
        and local.likely_next_ofsted_grade <= Grade.GOOD
        and local.teaching_quality == "consistently_good"
        and not local.behaviour_concern
    )
    # a Good school visited under section 8 that found priorities: more likely the weaker it is
    local.recent_s8_with_priorities = grade == Grade.GOOD and rng.random() < (0.3 if strength < -0.3 else 0.05)


def add_invented_data(schools, *, seed, years=YEARS, batch_size: int = 2000) -> dict[str, int]:
    """Invent and bulk-insert data for schools that have none yet. Returns the counts written."""
    rng, judgement_rng = random.Random(seed), random.Random(f"{seed}-judgements")
    inspections, results, locals_ = [], [], []
    for school in schools:
        i, r, local = invent_school_data(rng, school, years, judgement_rng)
        inspections += i
        results += r
        locals_.append(local)
    Inspection.objects.bulk_create(inspections, batch_size=batch_size)
    PerformanceResult.objects.bulk_create(results, batch_size=batch_size)
    LocalIndicator.objects.bulk_create(locals_, batch_size=batch_size)
    return {"inspections": len(inspections), "results": len(results), "local": len(locals_)}


# measure: (how far a year may differ, its lowest and highest value, decimal places)
NOISE = {
    "eyfs_gld_pct": (4, 30, 100, 0),
    "phonics_pct": (4, 30, 100, 0),
    "ks2_rwm_expected_pct": (6, 5, 100, 0),
    "ks2_rwm_high_pct": (3, 0, 60, 0),
    "ks2_progress_reading": (1.2, -12, 10, 1),
    "ks2_progress_writing": (1.2, -12, 10, 1),
    "ks2_progress_maths": (1.2, -12, 10, 1),
    "attainment8": (2.5, 15, 80, 1),
    "progress8": (0.15, -2.5, 2.0, 2),
    "attendance_pct": (0.4, 85, 99, 1),
    "persistent_absence_pct": (1.5, 1, 40, 1),
    "suspensions_rate": (1.0, 0, 30, 2),
}


def add_earlier_results(partnership, *, year: str = EARLIER_YEAR, from_year: str = YEARS[0]) -> int:
    """Each school's results of ``year`` where it has results for ``from_year`` but none for ``year``: the
    later year's figures, each a little different, so three years of results stand behind the year before
    the latest. Deterministic for the partnership; safe to call again. Returns the number of rows written."""
    rng = random.Random(f"{partnership.slug}-{year}-results")
    have = set(
        PerformanceResult.objects.for_partnership(partnership)
        .filter(academic_year=year)
        .values_list("school_id", flat=True)
    )
    rows = []
    for later in PerformanceResult.objects.for_partnership(partnership).filter(academic_year=from_year).order_by("pk"):
        if later.school_id in have:
            continue
        earlier = PerformanceResult(
            partnership_id=later.partnership_id,
            school_id=later.school_id,
            academic_year=year,
            source="invented",
            ks2_pupils=later.ks2_pupils,
            ks4_pupils=later.ks4_pupils,
            permanent_exclusions=later.permanent_exclusions,
        )
        for measure, (spread, low, high, places) in NOISE.items():
            value = getattr(later, measure)
            if value is not None:
                setattr(earlier, measure, _d(_clip(float(value) + rng.gauss(0, spread / 2), low, high), places))
        if earlier.progress8 is not None and later.p8_ci_lower is not None:
            half_width = (later.p8_ci_upper - later.p8_ci_lower) / 2
            earlier.p8_ci_lower, earlier.p8_ci_upper = earlier.progress8 - half_width, earlier.progress8 + half_width
        rows.append(earlier)
    PerformanceResult.objects.bulk_create(rows)
    return len(rows)


def _step(rng: random.Random, value: str, scale: tuple[str, ...], chance: float) -> str:
    """``value`` moved one step along ``scale`` (best first) with the given chance, either way."""
    if value not in scale or rng.random() >= chance:
        return value
    index = scale.index(value) + rng.choice((-1, 1))
    return scale[int(_clip(index, 0, len(scale) - 1))]


def add_earlier_judgements(partnership, *, year: str, from_year: str) -> int:
    """The LA's judgements of ``year`` for each school that has them for ``from_year`` but none for ``year``:
    mostly the same a year earlier, some a step better or worse, so an earlier year can be categorised.
    Deterministic for the partnership; safe to call again. Returns the number of rows written."""
    rng = random.Random(f"{partnership.slug}-{year}-judgements")
    have = set(
        LocalIndicator.objects.for_partnership(partnership)
        .filter(academic_year=year)
        .values_list("school_id", flat=True)
    )
    later = LocalIndicator.objects.for_partnership(partnership).filter(academic_year=from_year).order_by("school_id")
    teaching = tuple(LocalIndicator.TeachingQuality.values)
    leadership = tuple(LocalIndicator.LeadershipGovernance.values)
    rows = []
    for local in later:
        if local.school_id in have:
            continue
        earlier = LocalIndicator(
            partnership_id=local.partnership_id,
            school_id=local.school_id,
            academic_year=year,
            source="invented",
            finance_concern=local.finance_concern,
            complaints=max(0, (local.complaints or 0) + rng.choice((-1, 0, 0, 1))),
            outward_facing=local.outward_facing,
            teaching_quality=_step(rng, local.teaching_quality, teaching, 0.2),
            leadership_governance=_step(rng, local.leadership_governance, leadership, 0.15),
            behaviour_concern=local.behaviour_concern if rng.random() > 0.1 else not local.behaviour_concern,
            recent_s8_with_priorities=False,
        )
        grade = local.sef_validated_grade
        earlier.sef_validated_grade = int(_clip(grade + rng.choice((0, 0, 0, -1, 1)), 1, 4)) if grade else grade
        earlier.self_evaluation_grade = local.self_evaluation_grade
        earlier.likely_next_ofsted_grade = local.likely_next_ofsted_grade
        earlier.self_evaluation_accurate = earlier.self_evaluation_grade == earlier.sef_validated_grade
        # still securely good only where nothing that judgement rests on is worse a year earlier
        earlier.judged_securely_good = bool(
            local.judged_securely_good
            and earlier.sef_validated_grade
            and earlier.sef_validated_grade <= Grade.GOOD
            and earlier.teaching_quality == LocalIndicator.TeachingQuality.CONSISTENTLY_GOOD
            and not earlier.behaviour_concern
        )
        rows.append(earlier)
    LocalIndicator.objects.bulk_create(rows)
    return len(rows)


def add_national_benchmarks(partnership, years=YEARS) -> int:
    """England's (state-funded) figures for each year, as the partnership's Benchmark rows (code E92000001),
    for the years that have none yet: safe to call again. Returns the number of rows written."""
    have = set(
        Benchmark.objects.for_partnership(partnership)
        .filter(level=Benchmark.Level.ENGLAND_STATE, code=ENGLAND_CODE, academic_year__in=list(years))
        .values_list("academic_year", flat=True)
    )
    figures = {year: NATIONAL_FIGURES.get(year, NATIONAL_FIGURES[YEARS[-1]]) for year in years}
    rows = [
        Benchmark(
            partnership=partnership,
            level=Benchmark.Level.ENGLAND_STATE,
            code=ENGLAND_CODE,
            academic_year=year,
            source="invented: close to the published national statistics",
            **{field: Decimal(value) for field, value in figures[year].items()},
        )
        for year in years
        if year not in have
    ]
    Benchmark.objects.bulk_create(rows)
    return len(rows)


SYNTHETIC_PREFIX = "england-"
PHASE_MIX = ((Phase.PRIMARY, 0.82), (Phase.SECONDARY, 0.15), (Phase.SPECIAL, 0.03))


def generate_england(*, partnerships: int = 152, schools: int = 22000, seed: int = 1, stdout=None) -> dict:
    """A synthetic England: partnerships named england-001 ..., each with its share of the schools,
    two inspections, three years of results and an LA judgement per school, and England's figures for the
    three years. Replaces an earlier one."""
    from django.db import transaction

    from categorisation.models import Result, Run
    from partnership.models import Partnership
    from partnership.services import partnership_create
    from schools.services import schools_create_many

    rng = random.Random(seed)
    with transaction.atomic():
        earlier = Partnership.objects.filter(slug__startswith=SYNTHETIC_PREFIX)
        # Results and runs keep their framework version (protected), so they go first: a benchmark run
        # leaves them behind, and `make bench` must be repeatable.
        Result.objects.filter(partnership__in=earlier).delete()
        Run.objects.filter(partnership__in=earlier).delete()
        earlier.delete()
    counts = {"partnerships": 0, "schools": 0, "inspections": 0, "results": 0, "local": 0, "benchmarks": 0}
    base, extra = divmod(schools, partnerships)
    for index in range(partnerships):
        la_code = f"{100 + index:03d}"
        with transaction.atomic():
            partnership = partnership_create(
                actor=SYSTEM,
                slug=f"{SYNTHETIC_PREFIX}{index + 1:03d}",
                name=f"Synthetic Partnership {index + 1}",
                la_codes=[la_code],
            )
            size = base + (1 if index < extra else 0)
            made = []
            for n in range(size):
                phase = rng.choices([p for p, _ in PHASE_MIX], [w for _, w in PHASE_MIX])[0]
                ages = {Phase.PRIMARY: (4, 11), Phase.SECONDARY: (11, 16), Phase.SPECIAL: (3, 19)}[phase]
                made.append(
                    School(
                        urn=f"{la_code}{n + 1:04d}",
                        name=f"Synthetic {phase.label} School {la_code}-{n + 1}",
                        la_code=la_code,
                        phase=phase,
                        age_low=ages[0],
                        age_high=ages[1],
                        pupils=rng.randint(900, 1600) if phase == Phase.SECONDARY else rng.randint(60, 630),
                    )
                )
            created = schools_create_many(actor=SYSTEM, partnership=partnership, schools=made, reason="Synthetic.")
            written = add_invented_data(created, seed=f"{seed}-{index}")
            written["benchmarks"] = add_national_benchmarks(partnership)
        counts["partnerships"] += 1
        counts["schools"] += len(created)
        for key, value in written.items():
            counts[key] += value
        if stdout is not None and (index + 1) % 25 == 0:
            stdout.write(f"{index + 1} partnerships, {counts['schools']} schools")
    return counts
