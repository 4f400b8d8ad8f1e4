"""Corrections made by hand that survive rebuilds, re-extraction and re-ingests (issue 15).

- ``model``: the ``Correction`` record, its ``ReportKey`` targets and the parsing of typed values;
- ``table``: the ``corrections`` table and finding reports by their keys;
- ``apply``: the one place corrections change the ``events`` table (after every merge);
- ``actions``: fix, split, join, not-an-incident, undo, export and import (the commands call these).

See docs/REVIEW.md for the workflow.
"""
