"""The one read layer over the incident dataset: every output reads incidents through it.

- ``query``: ``IncidentQuery`` (dates, countries by ISO3 or name, types, sub-types, actor, admin1, minimum
  killed, disputed, text, box, sort, page), checked once and compiled to parameterised SQL once;
- ``rows``: ``IncidentRow``, the one row shape (the export contract is drawn from it);
- ``read``: ``Dataset``, which reads a page of rows with a fixed number of SQL statements;
- ``formats``: the registry of formats (json, acled-csv, csv, geojson) from which both the
  ``sitrep export --format`` choices and the API's download routes are made;
- ``countries``: country codes, names and ACLED's country knowledge.

``sitrep events``, ``sitrep export``, ``/api/incidents`` with its downloads and the web pages are thin
skins over it, so the same filter gives the same ids and figures everywhere.
"""
