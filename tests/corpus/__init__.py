"""Shared SQL corpora: hostile queries and legitimate analytics, used by unit and integration tests."""
