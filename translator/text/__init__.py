"""Language work on plain text: sentence segmentation (and later normalisation, tokenising)."""
