"""MCP tools, one module per family. Each module's ``register(server)`` adds its tools."""
