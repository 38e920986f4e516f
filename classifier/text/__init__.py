"""Text processing: the spaCy pipeline (the only module that imports spaCy), word splitting,
and the codebook lexicon matcher. Knows nothing of models."""
