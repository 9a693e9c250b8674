"""The MCP adapter: settings, the dependency container, the server factory, tools and the CLI.

``zava_mcp_adapter.server.build_server`` is the entry point for embedding the server.
"""
