"""Reading returned files safely: the package gate (`package`: what the file is, zip bombs,
traversal, encryption), the hardened XML reader (`sheetxml`), typing what was typed (`coerce`),
and the immutable `Reading` of one return (`reading`).

May import: the model, the form. Never a spreadsheet library: returns come from outside.
"""
