"""Memberships, invitations, the sharing records and the guardian grants moved from the partnership and
schools apps to people/ and sharing/ with their tables: only Django's idea of the models moved
(``SeparateDatabaseAndState``). This test holds the demo's data, takes the database back to before the
move (where the old apps own those tables), reads every row there through the old models, then migrates
forward again and finds every row where it was, through the new ones."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_scopes import scopes_disabled

BEFORE_THE_MOVE = [("partnership", "0005_sharing_pages_and_policy"), ("schools", "0003_local_judgements")]
MOVED = {
    # new app, model: old app
    ("people", "membership"): "partnership",
    ("people", "invitation"): "partnership",
    ("sharing", "memorandumstatus"): "partnership",
    ("sharing", "supportrelationship"): "partnership",
    ("sharing", "strategicpartnergrant"): "partnership",
    ("sharing", "concernregisterentry"): "partnership",
    ("sharing", "dataaccesslog"): "partnership",
    ("sharing", "sharingpolicy"): "partnership",
    ("sharing", "schooluserobjectpermission"): "schools",
}


def _rows(apps, app_label, model_name) -> list[tuple]:
    model = apps.get_model(app_label, model_name)
    manager = model._base_manager  # the historical model's plain manager: no scope in a migration
    fields = sorted(f.attname for f in model._meta.concrete_fields if f.attname in _COMPARED)
    return sorted(manager.values_list(*fields), key=repr)


# Columns both the old and the new models have, compared row by row.
_COMPARED = {
    "id",
    "uuid",
    "partnership_id",
    "user_id",
    "role",
    "school_id",
    "cluster_id",
    "ended_at",
    "email",
    "status",
    "supporter_id",
    "supported_id",
    "membership_id",
    "reason_kind",
    "what",
    "version",
    "content_object_id",
    "permission_id",
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("quick_letters")
def test_the_demo_survives_the_move_back_and_forth():
    with scopes_disabled():
        call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    now = executor.loader.project_state(leaves).apps
    after = {key: _rows(now, *key) for key in MOVED}
    empty = sorted(key for key in MOVED if not after[key])
    assert empty == [("people", "invitation"), ("sharing", "dataaccesslog"), ("sharing", "sharingpolicy")], empty
    try:
        executor.migrate(BEFORE_THE_MOVE)
        executor = MigrationExecutor(connection)
        old = executor.loader.project_state(BEFORE_THE_MOVE).apps
        for (app, model), old_app in MOVED.items():
            assert _rows(old, old_app, model) == after[(app, model)], f"{old_app}.{model} before the move"
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM django_content_type WHERE app_label IN ('people', 'sharing')")
            assert cursor.fetchone()[0] == 0  # the moved models' content types are the old apps' again
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(leaves)
    executor = MigrationExecutor(connection)
    new = executor.loader.project_state(leaves).apps
    for key in MOVED:
        assert _rows(new, *key) == after[key], f"{key} after the move"
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM django_content_type WHERE app_label = 'people' AND model = 'membership'")
        assert cursor.fetchone()[0] == 1


@pytest.mark.django_db(transaction=True)
def test_an_upload_kept_in_the_database_moves_to_the_storage_and_back(settings, tmp_path):
    """schools 0006: an ImportRun's bytes leave the database column for Django's storage, unchanged."""
    settings.MEDIA_ROOT = str(tmp_path)
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    before = [("schools", "0005_grants_move_to_sharing")]
    data = b"URN,Rating\n100001,Good\n"
    from partnership.models import Partnership

    # The partnership app stays at its newest migration: its row is made with today's model.
    partnership = Partnership.objects.create(slug="moved", name="Moved", la_codes=["901"])
    try:
        executor.migrate(before)
        old = MigrationExecutor(connection).loader.project_state(before).apps
        old.get_model("schools", "ImportRun")._base_manager.create(
            partnership_id=partnership.pk, kind="ofsted", filename="../../etc/ofsted.csv", content=data
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(leaves)
    from schools.models import ImportRun

    with scopes_disabled():
        run = ImportRun.objects.get(partnership__slug="moved")
    assert run.read() == data
    assert run.file.name.startswith(f"imports/{partnership.pk}/{run.uuid}/")
    assert (tmp_path / run.file.name).is_file()
