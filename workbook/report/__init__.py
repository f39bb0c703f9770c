"""The evaluation report: the results table analysts hand in, as Word, HTML or PDF, from one ReportContent."""
