"""Writing results for people: output formats, tables, HTML pages and plots."""
