"""The pure domain: principals, query results, schema descriptions and errors (stdlib only)."""
