import { createServer } from "node:http";

/**
 * A JSON-RPC endpoint that refuses every call at once, for suites that run without a chain: a
 * call that would need the chain fails fast (no retrying an unreachable node), and nothing reaches
 * another stack's node on the default port. Sets CHAIN_RPC_URL before lib/env is first read.
 */
export async function refusingChain(): Promise<{ url: string; stop(): Promise<void> }> {
  const server = createServer(async (request, response) => {
    let body = "";
    for await (const chunk of request) body += chunk;
    const refuse = (call: { id?: unknown }) => ({ jsonrpc: "2.0", id: call?.id ?? null, error: { code: -32601, message: "no chain in this test" } });
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(body);
    } catch {}
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(Array.isArray(parsed) ? parsed.map(refuse) : refuse(parsed as { id?: unknown })));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  process.env.CHAIN_RPC_URL = url;
  return { url, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}
