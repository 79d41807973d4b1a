"""Translation-memory matching: Arabic-aware normalisation, an inverted index, a scorer."""
