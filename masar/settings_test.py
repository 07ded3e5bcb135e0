"""Settings for the test suite: the production settings, read from the environment, plus a key only tests use.

pytest loads this module (`--ds` in pyproject.toml), so `pytest` and `make test` need nothing set while
masar/settings.py keeps no fallback key. A test that needs production settings starts a process with its
own environment (tests/core/test_deploy_check.py).
"""

from masar.settings import *  # noqa: F403
from masar.settings import SECRET_KEY as _ENVIRONMENT_KEY

SECRET_KEY = _ENVIRONMENT_KEY or "masar-tests-only-key-not-a-secret-8d2f0c1a7e5b4e96a3c1f0d9b8a7e6c5"
# The tests run without collectstatic: WhiteNoise reads the apps' static folders, as under DEBUG.
WHITENOISE_AUTOREFRESH = True
# Tests change records directly (factories) between two anonymous requests: whole-page caching is turned on only by
# the tests of it (tests/core/test_public_page_cache.py), which change data the way the site does.
PUBLIC_PAGE_CACHE_SECONDS = 0
