"""The questionnaire workbook as a format, shared by the writer and the reader: where each
answer lives (`layout`), what the sheets say outside the answer cells (`texts`), and how a
workbook says which questionnaire, version, language and respondent it is (`identity`).

May import: the model. No spreadsheet library at import time: reading returns must not pay for
one.
"""
