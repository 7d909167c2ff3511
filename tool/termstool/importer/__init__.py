"""Importing existing terms into clause files: parsing a numbered source into a plan."""
