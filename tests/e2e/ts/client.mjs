// Lists every tool and calls each with the example arguments given on stdin, over stdio or
// streamable HTTP, with the official TypeScript SDK. Prints one JSON report on stdout.
// Usage: node client.mjs stdio <command> [args...]   (environment passed through)
//        node client.mjs http <url>                   (ZAVA_E2E_TOKEN: the bearer token)
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { readFileSync } from "node:fs";

const [mode, target, ...rest] = process.argv.slice(2);
const calls = JSON.parse(readFileSync(0, "utf8"));
const transport =
  mode === "stdio"
    ? new StdioClientTransport({ command: target, args: rest, env: process.env, stderr: "ignore" })
    : new StreamableHTTPClientTransport(new URL(target), {
        requestInit: { headers: { Authorization: `Bearer ${process.env.ZAVA_E2E_TOKEN}` } },
      });
const client = new Client({ name: "zava-e2e-ts", version: "1.0.0" });
const report = { tools: [], results: {}, errors: {} };
try {
  await client.connect(transport);
  const { tools } = await client.listTools();
  report.tools = tools.map((t) => ({ name: t.name, readOnly: t.annotations?.readOnlyHint === true }));
  for (const tool of tools) {
    // callTool validates structured content against the tool's output schema, errors included.
    const result = await client.callTool({ name: tool.name, arguments: calls[tool.name] ?? {} }, undefined, {
      timeout: 120000,
    });
    report.results[tool.name] = { isError: result.isError === true, structured: result.structuredContent !== undefined };
  }
  const bad = await client.callTool({ name: "execute_sales_query", arguments: { postgresql_query: "DELETE FROM retail.orders" } });
  report.errors.refusal = bad.structuredContent;
  const unknown = await client.callTool({ name: "no_such_tool", arguments: {} });
  report.errors.unknown = unknown.structuredContent;
} finally {
  await client.close();
}
process.stdout.write(JSON.stringify(report));
