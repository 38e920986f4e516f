"""The analyst's loop: review files, correction sets, what to label next, labels that look wrong."""
