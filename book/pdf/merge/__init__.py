"""The parts' PDFs made one (``merger``), with pikepdf and uharfbuzz."""
