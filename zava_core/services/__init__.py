"""Use cases: small async services that take ports and a principal."""
