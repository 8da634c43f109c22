"""Recompute and explain a partnership of 500 schools in a bounded number of queries."""

from datetime import date

import pytest
from django.db import connection

from partnership.models import Partnership
from partnership.roles import Role
from people.models import Membership
from schools.models import School
from sharing import rules
from sharing.models import MemorandumStatus, SchoolUserObjectPermission, SupportRelationship
from sharing.services import records as sharing_services
from sharing.services import sharing_recompute

from ..factories import PartnershipFactory, UserFactory

SCHOOLS = 500
SIGNED = 60  # every signed head sees every signed school: 60 x 60 rows, kept small for a quick test


@pytest.fixture
def big(db):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    User = get_user_model()
    partnership = PartnershipFactory(slug="big", la_codes=["950"])
    schools = School.objects.bulk_create(
        School(partnership=partnership, urn=f"95{i:04d}", name=f"School {i}", la_code="950") for i in range(SCHOOLS)
    )
    heads = User.objects.bulk_create(User(username=f"head{i}") for i in range(SCHOOLS))
    Membership.objects.bulk_create(
        Membership(partnership=partnership, user=u, role=Role.HEAD, school=s)
        for u, s in zip(heads, schools, strict=True)
    )
    for role in (Role.OFFICER, Role.BOARD):
        Membership.objects.create(partnership=partnership, user=UserFactory(username=f"{role}.big"), role=role)
    now = timezone.now()
    MemorandumStatus.objects.bulk_create(
        MemorandumStatus(
            partnership=partnership,
            school=s,
            status="signed" if i < SIGNED else "declined",
            signed_on=date(2022, 9, 1) if i < SIGNED else None,
            governors_minute_ref="FGB 1" if i < SIGNED else "",
            data_controller=heads[i] if i < SIGNED else None,
            recorded_at=now,
        )
        for i, s in enumerate(schools)
    )
    SupportRelationship.objects.bulk_create(
        SupportRelationship(
            partnership=partnership,
            supporter=schools[i],
            supported=schools[SIGNED + i],
            purpose="Support",
            starts_on=date(2022, 9, 1),
            granted_at=now,
        )
        for i in range(20)
    )
    return partnership


def expected_rows():
    officer, board = SCHOOLS, SIGNED
    return officer + board + SIGNED * SIGNED + (SCHOOLS - SIGNED)  # declined heads see their own school


def test_recompute_500_schools_in_bounded_queries(big, django_assert_max_num_queries):
    rules.sharing_permission(rules.DATA_PERMISSION)
    # Reads: fixed. Writes: one INSERT per batch (SQLite caps a batch at 999 parameters, so 199 rows of five
    # columns; PostgreSQL takes RECOMPUTE_BATCH).
    fields = ["permission", "user", "content_object", "rule", "sentence"]
    batch = min(sharing_services.RECOMPUTE_BATCH, connection.ops.bulk_batch_size(fields, [None] * 10_000))
    inserts = -(-expected_rows() // batch)
    with django_assert_max_num_queries(15 + inserts):
        result = sharing_recompute(partnership=big)
    assert result["added"] == expected_rows() == SchoolUserObjectPermission.objects.count()
    with django_assert_max_num_queries(12):
        again = sharing_recompute(partnership=big)
    assert again == {"added": 0, "removed": 0, "reworded": 0, "kept": expected_rows()}


def test_explain_and_who_can_see_do_not_grow_with_schools(big, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        explained = rules.explain_access(big)
    assert len(explained) == (SCHOOLS + 2) * SCHOOLS  # every member has at least the headline of every school
    school = School.objects.get(partnership=big, urn="950000")
    with django_assert_max_num_queries(10):
        rows = rules.who_can_see(big, school)
    assert sum(r["access"] == "full" for r in rows) == SIGNED + 2
    head = Membership.objects.get(partnership=big, school=school).user
    with django_assert_max_num_queries(10):
        visible = rules.visible_school_ids(head, big, rules.FULL)
    assert len(visible) == SIGNED  # itself and the signed peers; the school it supports declined: capped


def test_partnership_has_a_retention_period(big):
    assert Partnership.objects.get(pk=big.pk).data_retention_months == 84


def test_one_page_check_is_a_few_queries(big, django_assert_max_num_queries):
    school = School.objects.get(partnership=big, urn="950000")
    head = Membership.objects.get(partnership=big, school=school).user
    school = School.objects.select_related("partnership").get(pk=school.pk)
    with django_assert_max_num_queries(6):
        assert rules.access_for(head, school).rule == "own-school"
