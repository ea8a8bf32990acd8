"""One module per stage, each defining ``STAGE = StageSpec(...)``: the single place a stage is
declared (see :mod:`analyzer.stages`).  These modules import only :mod:`analyzer.core.schemas` and
the spec, so reading the registry stays cheap."""
