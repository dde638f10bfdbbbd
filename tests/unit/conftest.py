from ..contract.conftest import argos_home, argos_models  # noqa: F401 — shared fixtures

import pytest


@pytest.fixture
def argos_ready(argos_home, argos_models):  # noqa: F811
    import argostranslate.package

    argostranslate.package.install_from_path(argos_models[("en", "es")])
    return argos_home
