"""The Dash dashboard over run folders: ``create_app(run_dir)`` in :mod:`dashboards.app`.

Modules: ``app`` (factory and URL state), ``data`` (the one data-access module, with a cache),
``ids`` (component ids), ``pages/`` (registered pages, thin), ``callbacks``, ``components``,
``textmarks`` and ``treeview`` (pure helpers), ``cli`` (``analyzer serve``), ``serve`` (``--workers N``:
gunicorn worker processes) and ``respcache`` (whole answers of repeated requests, kept).  Its benchmarks
live under ``tests/bench/`` (``dashboard_first_page``, ``dashboard_load``).  Nothing here is
imported by ``analyzer``.
"""
