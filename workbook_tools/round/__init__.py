"""A survey round over weeks: the questionnaires sent, the e-mails out and in, every return
received, and what became of it, kept in an embedded database inside the round's folder.

`store.py` is the database and the content-addressed files; `mail.py` writes and sends the
e-mails; `intake.py` takes what arrives (workbooks, saved e-mails, zip files) apart safely;
`ledger.py` runs the commands (init, send, receive, remind, roster); `status.py` says where the
round stands (terminal, HTML page, dated log).

May import: the model, `form`, `send`, `read`, `check`, `files` and `errors`; `outputs` imports
this stage to consolidate a round, never the other way round.
"""
