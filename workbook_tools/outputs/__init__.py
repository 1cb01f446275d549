"""What consolidation makes from checked returns: which returns count, where each respondent
stands and what the master says (`consolidate`, pure), the analysis across ISCMs and the
charts' data (`across`, pure), the master workbook (`master`, XlsxWriter), and the draft
summaries per ISCM (`drafts`, Project Fluent and python-docx).

May import: the model, the form, read, check, `files`, `textfit` (room for text in cells); send
only for file names.
"""
