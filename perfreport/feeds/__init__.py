"""Automated feeds: figures read from a source system's database (SQLAlchemy)
or from files dropped in a folder, landing as automated drafts in the open round."""
