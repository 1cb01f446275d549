"""Checking returns: pandera schemas built from the definitions (`schema`), the verdict of every
return (`validate`), reports for people and programs (`report`), and annotated copies to send
back (`annotate`).

May import: the model, the form, read, `files`, `textfit` (room for text in cells); pandas
and pandera (lazily), openpyxl (only to annotate and to write the issues table).
"""
