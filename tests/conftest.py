"""Fixtures every test can take: the real Chromium of :mod:`tests.browser`."""

pytest_plugins = ["tests.browser"]
