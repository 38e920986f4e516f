"""How good a model is: metrics, evaluation and comparison on labelled data, agreement
between codings, the benchmark against baselines, and the learning curve."""
