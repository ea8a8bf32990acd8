"""The read side: a run folder turned into frames ready to draw or print.

Everything that shows a run (the dashboard, the report, ``analyzer summary``, the framing
headline and the notebook ``Thread``) reads it through this package and computes no number
of its own, so a number has one name and one value everywhere.  The layers:

* :mod:`analyzer.views.numbers`: the thread numbers shown to people, one metric name each,
  with their label, kind (share, count, number) and how to format them;
* :mod:`analyzer.views.shares`: counts with their share, a 95 % Wilson interval and a
  "too few" flag, so that no share is ever shown without the n behind it;
* :mod:`analyzer.views.thread`: pure functions from one thread's frames to small frames
  (levels, latencies, stance counts, frame profile, domains);
* :mod:`analyzer.views.run_view`: :class:`RunView`, a run folder with memoised per-article
  views, and the run-level tables (:func:`headline_table`, :func:`run_totals`);
* pages' views on top of it: :mod:`~analyzer.views.comments`, :mod:`~analyzer.views.participants`,
  :mod:`~analyzer.views.timeline`, :mod:`~analyzer.views.corpus`, :mod:`~analyzer.views.examples`
  (headline sentence, example comments), :mod:`~analyzer.views.labels` (label shares, removal
  rates) and :mod:`~analyzer.views.coordination` (campaigns, co-sharing, authors, activity).
"""

from analyzer.views.numbers import HEADLINE, Number, format_value
from analyzer.views.run_view import RunView, StageNote, headline_table, run_totals
from analyzer.views.shares import MIN_N, wilson_interval, with_shares

__all__ = [
    "HEADLINE", "MIN_N", "Number", "RunView", "StageNote", "format_value", "headline_table", "run_totals",
    "wilson_interval", "with_shares",
]
