"""Using a saved model, in numpy and scipy only (never scikit-learn): loading and saving
model directories, features, scores, evidence, annotation and batch runs."""
