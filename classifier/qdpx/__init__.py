"""REFI-QDA exchange with ATLAS.ti, MAXQDA, NVivo and QualCoder.

`export` writes pre-coded transcripts as a .qdpx project (and the codebook as a .qdc);
`importing` turns the human coding in a .qdpx into a labelled JSON Lines corpus.
"""
