"""Placeholder: the Datasette plugin is being written."""
