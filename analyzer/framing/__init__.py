"""Framing: how readers take up the article (quotations now; frame profiles and keyness later).

Modules:

* :mod:`analyzer.framing.quotes` - which article passages comments quote, and each comment's
  own text with quotations removed (the input of stance and frame analysis).
"""
