"""What consolidation makes from checked returns: which returns count and what the master says
(`consolidate`, pure), the master workbook (`master`, XlsxWriter), and the draft summaries per
ISCM (`drafts`, Project Fluent and python-docx).

May import: the model, the form, read, check, `files`; send only for file names.
"""
