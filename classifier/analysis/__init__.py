"""Across a collection: which codes come up in which transcripts and cases, which go
together, which quotes carry them, and how sure those counts are."""
