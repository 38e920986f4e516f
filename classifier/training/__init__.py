"""Fitting models with scikit-learn: feature vocabularies, the per-code linear models,
cross-validation folds, calibration and thresholds, and the train workflow."""
