"""Programmes as data (issue #14): a programme definition file (`programmes/<code>.yaml`), its schema
(`definition.py`) and the loader that writes it to the database (`loader.py`, `manage.py programme_load`)."""
