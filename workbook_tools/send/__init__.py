"""Writing the questionnaires that go out: the workbook of a questionnaire in a language,
blank or personalized for a respondent (`build`, `write`), and filling one as a respondent
would (`fill`, for tests, the demo and pre-filling).

May import: the model, the form, `files`, `textfit` (room for text in cells); openpyxl.
"""
