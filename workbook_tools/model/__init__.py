"""The model: what a survey is, loaded from its definitions and checked once (`survey.py`).

Owns the questionnaires (questions, types, choices, limits, conditions, roles), the choice and
reference lists, the survey's settings and texts, the catalogue of problems, the draft
summaries' sentences and the roster. Every other stage derives what it makes from one loaded
`Survey`, passed explicitly.

May import: the standard library, PyYAML, the data file hdx-python-country ships (read, not
imported as code), Fluent's parser and `workbook_tools.errors`; nothing else of
the package. Every other stage imports the model, never the other way round.
"""
