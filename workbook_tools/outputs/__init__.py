"""What consolidation makes from checked returns: which returns count, where each respondent
stands and what the master says (`consolidate`, pure), the analysis across ISCMs and the
charts' data (`across`, pure), the master workbook (`master`, XlsxWriter), the draft summaries
per ISCM (`drafts`, Project Fluent and python-docx), and the data for analysts (`export`:
codebook, CSV, Parquet, Stata, SPSS and a Frictionless data package).

May import: the model, the form, read, check, `files`, `textfit` (room for text in cells); send
only for file names.
"""
