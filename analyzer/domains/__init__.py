"""Domain credibility lists and link rules: data with provenance.

* :mod:`analyzer.domains.rules`: the packaged link rules (``link_rules.toml``: obfuscation forms,
  false-positive lists, platform paths).
* :mod:`analyzer.domains.store`: import a list (CSV/TSV/TXT) into the user's data folder as
  Parquet + a JSON provenance record; list and load installed lists.
* :mod:`analyzer.domains.ratings`: attach ratings to links (list, date, licence, stale and
  imputed flags).
* :mod:`analyzer.domains.cli`: ``analyzer domains import | list``.

Which lists ship inside the package: **none.**  Reasons, list by list (checked against
``../shared/data/domain_ratings/PROVENANCE.txt``; the project is GPL-3.0-or-later):

* Lin et al. (2023), PNAS Nexus 2(9) pgad286 (github.com/hauselin/domain-quality-ratings):
  no licence file; the README says "feel free to reuse the data", which grants no defined
  rights to redistribute or modify, and the values derive from lists with their own terms.
* Lasser et al. (github.com/JanaLasser/misinformation_domains): the compilation is CC BY-SA 4.0.
  Creative Commons declared BY-SA 4.0 one-way compatible with GPLv3 (2015), so the compilation
  itself could be adapted into a GPL work with attribution; but its README says the underlying
  lists mostly carry no licence (Zimdars: CC BY 4.0), and a compilation licence cannot grant
  rights in material the compiler holds none in.  In doubt: not shipped.
* OSoMe's MBFC ratings and Baly et al.'s corpora: scraped from Media Bias/Fact Check, whose
  terms do not allow redistribution.  Iffy+ lists: the terms of iffy.news apply.

So every list is imported by the user, with its licence and date recorded:
``analyzer domains import --name lin2023 --rating-column pc1 --date 2023 --licence "no licence;
README: feel free to reuse" --source-url https://github.com/hauselin/domain-quality-ratings
lin2023_domain_pc1.csv``.

Imputation: Lin et al. impute values for domains missing from some source lists, but the
published CSVs do not mark which rows were imputed (checked: ``lin2023_README.md`` and the
columns of ``domain_ratings.csv``).  Import them with ``--all-imputed`` to flag every value as
possibly imputed, or with ``--imputed-column`` for lists that carry a per-row flag.
"""
