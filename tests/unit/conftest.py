"""The engine folder's fixtures (tiny Argos models, private model and XDG folders) serve these tests too."""

import pytest

from ..engines.conftest import argos_home, install, models, private_dirs  # noqa: F401 — shared fixtures


@pytest.fixture
def argos_ready(install):  # noqa: F811
    return install(("en", "es"))
