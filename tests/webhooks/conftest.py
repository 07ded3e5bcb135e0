import pytest

from tests.webhooks.factories import Receiver


@pytest.fixture(autouse=True)
def webhook_settings(settings):
    """Run tasks at once (the retries are then sent by the sweep), and accept the receiver on 127.0.0.1."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.WEBHOOKS_ALLOW_LOOPBACK = True


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running
