"""Across threads: copy-paste campaigns, coordinated link sharing, who answers whom, time.

One self-contained stage package (``coordination``): :mod:`.near_duplicates` (MinHash/LSH
clusters of near-identical comments), :mod:`.colinks` (CooRnet-style co-link pairs and
components), :mod:`.authors` (per-author table and reply network), :mod:`.timeseries`
(activity per time bin) and :mod:`.stage` (the stage function, its metrics and frames).
See docs/coordination.md.
"""
