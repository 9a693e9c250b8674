"""Adapters: implementations of the ports against PostgreSQL, Redis and embedding models."""
