"""Fixtures of the H5P package tests: a private MEDIA_ROOT and an administrator."""

import pytest

from tests import factories
from tests.lessons.h5p.media import media_root_prepare


@pytest.fixture
def media(settings, tmp_path):
    return media_root_prepare(settings, tmp_path)


@pytest.fixture
def root(db):
    """A platform administrator: may bring new library code."""
    return factories.UserFactory(is_superuser=True, username="root")
