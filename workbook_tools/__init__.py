"""workbook-tools: send, check and consolidate survey questionnaires as Excel workbooks."""

__version__ = "0.1.0"
