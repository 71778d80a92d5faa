/**
 * The portal's Stripe webhook route handler alone behind node:http on 127.0.0.1 (`--port N`), for
 * bench/settlement.ts: the web process the webhooks reach, apart from the bench that sends them
 * and watches the orders, as Stripe and the portal are apart in production.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { flag } from "./_harness";

const { POST } = await import("../app/api/stripe/webhook/route");

const server = createServer(async (req, res) => {
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = Object.entries(req.headers).flatMap(([name, value]) => (typeof value === "string" ? [[name, value] as [string, string]] : []));
    const response = await POST(new Request("http://127.0.0.1/api/stripe/webhook", { method: "POST", headers, body: Buffer.concat(chunks) }));
    res.writeHead(response.status, { "content-type": "application/json" }).end(await response.text());
  } catch (error) {
    res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: error instanceof Error ? error.message : String(error) }));
  }
});
server.listen(flag("port", 1), "127.0.0.1", () => console.log(`webhook server listening on ${(server.address() as AddressInfo).port}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
