"""One content change, one version bump: when its transaction commits, once, however many
rows and signals the change touched."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.test import Client

from pagecache import version
from pagecache.store import get_store


def _bumps(pubsub) -> list[str]:
    """The versions published since the last call."""
    seen = []
    while (message := pubsub.get_message(timeout=0.3)) is not None:
        if message["type"] == "message":
            seen.append(message["data"].decode())
    return seen


@pytest.fixture
def bumps(redis_cache, group_is_content):
    pubsub = redis_cache.pubsub()
    pubsub.subscribe(get_store().channel)
    _bumps(pubsub)  # the subscription's own confirmation
    yield lambda: _bumps(pubsub)
    pubsub.close()


@pytest.mark.django_db
def test_one_transaction_with_many_changes_bumps_once(bumps, django_capture_on_commit_callbacks):
    permissions = list(Permission.objects.all()[:3])
    with django_capture_on_commit_callbacks(execute=True):
        group = Group.objects.create(name="Testgrupp")  # the row
        group.permissions.add(*permissions)  # many-to-many rows
        group.name = "Testgrupp 2"
        group.save()  # and again
        assert bumps() == []  # nothing before the commit
    assert len(bumps()) == 1


@pytest.mark.django_db
def test_each_committed_transaction_bumps_once(bumps, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        Group.objects.create(name="Första")
    with django_capture_on_commit_callbacks(execute=True):
        Group.objects.create(name="Andra")
    assert len(bumps()) == 2


@pytest.mark.django_db(transaction=True)
def test_a_change_outside_a_transaction_bumps_at_once(bumps):
    Group.objects.create(name="Testgrupp")
    assert len(bumps()) == 1


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_does_not_bump_nor_keep_pages_from_the_cache(
    bumps, views, no_next_change
):
    with pytest.raises(RuntimeError), transaction.atomic():
        Group.objects.create(name="Ångrad")
        raise RuntimeError("the editor's save failed")
    assert bumps() == []
    Client().get("/plain/")
    Client().get("/plain/")
    assert views["count"] == 1  # stored and served as usual


@pytest.mark.django_db
def test_until_the_commit_this_connection_neither_reads_nor_stores_pages(
    views, no_next_change, group_is_content
):
    Client().get("/plain/")  # stored
    Group.objects.create(name="Ny")  # this test's transaction never commits
    Client().get("/plain/")
    Client().get("/plain/")
    assert views["count"] == 3


@pytest.mark.django_db
def test_models_nobody_registered_do_not_bump(bumps):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("prenumerant")
    with transaction.atomic():
        pass
    assert bumps() == []
    assert not version.uncommitted_change()
