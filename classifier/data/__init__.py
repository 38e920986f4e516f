"""Plain data: paragraph records, the codebook, the labelled corpus and its checks.

Imports nothing from training, inference, render or the command line."""
