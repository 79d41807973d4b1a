"""Qt item models: thin adapters over the rows that services return."""
