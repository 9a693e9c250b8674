"""The ``zava`` command line."""
