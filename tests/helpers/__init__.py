"""Builders the tests share: records, review files, QDA projects, corpora, the scikit-learn oracle."""
