"""What a finished run is turned into for people: figures, the report, the terminal summary
(and exports). Everything here reads runs through :mod:`analyzer.views`."""
