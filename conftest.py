"""Docstring examples run as doctests: the remarks aedplan makes about data (dropped
disconnected streets, unknown tags) are warnings a reader sees, not errors."""

import pytest
from _pytest.doctest import DoctestItem


def pytest_collection_modifyitems(items):
    for item in items:
        if isinstance(item, DoctestItem):
            item.add_marker(pytest.mark.filterwarnings("ignore::aedplan.errors.AedplanWarning"))
