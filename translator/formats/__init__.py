"""File formats: each module turns the bytes of one kind of file into domain objects and back.

Nothing here imports SQLAlchemy or Qt; ``registry`` picks the reader or writer for a path.
"""
