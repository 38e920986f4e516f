"""What the model is compared with: keyword autocoding and spaCy's own text classifier."""
