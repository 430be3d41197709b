import pytest


@pytest.fixture
def admin_client(client):
    """A superuser logged in with a verified one-time code (the admin asks for one)."""
    from editors.testing import login_verified, make_staff

    user, _ = make_staff("chef", superuser=True)
    return login_verified(client, user)
