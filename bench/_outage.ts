/**
 * Shared by the outage drills (chain-outage, db-restart, crash-restart): child processes that log
 * to files, a PostgreSQL that can be restarted in place, a TCP proxy that takes the chain away,
 * and the checks each drill ends with: every order allocated exactly once, none lost, no nonce gap.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { sql } from "drizzle-orm";
import type { Address, PublicClient } from "viem";
import { villageTokenAbi } from "../contracts/artifacts/VillageToken";
import type { Db } from "../db/client";
import { freePort } from "../scripts/lib/ports";
import { tsxCommand } from "../scripts/lib/processes";
import { allocatedEventsPerSeq, sleep } from "./_drill";

export const logger = (bench: string) => (line: string) => process.stderr.write(`[${bench}] ${line}\n`);

export type Logged = { child: ChildProcess; file: string; tail(lines?: number): string; alive(): boolean };

/**
 * A child whose output goes to `dir/name.log` (shown with tail() when a drill fails). `group`
 * puts it in a process group of its own, so that the group can be killed at once.
 */
export function spawnLogged(dir: string, name: string, command: string, args: string[], env: NodeJS.ProcessEnv, group = false): Logged {
  const file = path.join(dir, `${name}.log`);
  const fd = openSync(file, "a");
  const child = spawn(command, args, { env, stdio: ["ignore", fd, fd], detached: group, cwd: process.cwd() });
  closeSync(fd);
  // A drill that dies must not leave its children behind.
  const killOnExit = () => {
    try {
      if (group) process.kill(-child.pid!, "SIGKILL");
      else child.kill("SIGKILL");
    } catch {
      // already gone
    }
  };
  process.once("exit", killOnExit);
  child.once("exit", () => {
    if (!group) process.removeListener("exit", killOnExit);
  });
  return {
    child,
    file,
    tail: (lines = 30) => (existsSync(file) ? readFileSync(file, "utf8").split("\n").slice(-lines).join("\n") : ""),
    alive: () => child.exitCode === null && child.signalCode === null,
  };
}

/** A TypeScript entry point of the portal (scripts/worker.ts, bench/_webhook-server.ts) as its own process. */
export function startTsx(dir: string, name: string, entry: string, args: string[], env: NodeJS.ProcessEnv = process.env): Logged {
  const [command, base] = tsxCommand(entry);
  return spawnLogged(dir, name, command, [...base, ...args], env);
}

/** Resolves once the child's log has a line containing `text`. */
export async function waitForLog(logged: Logged, text: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!readFileSync(logged.file, "utf8").includes(text)) {
    if (!logged.alive()) throw new Error(`${path.basename(logged.file)}: exited before "${text}":\n${logged.tail()}`);
    if (Date.now() > deadline) throw new Error(`${path.basename(logged.file)}: no "${text}" within ${timeoutMs} ms:\n${logged.tail()}`);
    await sleep(100);
  }
}

/**
 * A TCP proxy in front of the Hardhat node: `down()` closes its port and cuts every open
 * connection, `up()` listens on the same port again. Hardhat keeps the chain in memory only, so
 * stopping the node itself would lose the chain; to the portal a closed port is a stopped node
 * (connection refused, requests cut), and the node's state is still there when the port returns.
 * (SIGSTOP would keep the port open and leave requests hanging until they time out: a frozen
 * node, not a stopped one.)
 */
export async function chainProxy(targetPort: number) {
  const port = await freePort();
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, "127.0.0.1");
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.once("close", () => sockets.delete(socket));
      socket.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  const up = () =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
  const down = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
  await up();
  return { url: `http://127.0.0.1:${port}`, up, down, close: () => (server.listening ? down() : Promise.resolve()) };
}

/**
 * Each of the given orders allocated exactly once: its status, one `Allocated` event for its
 * sequence number on the token, one `tokens_allocated` ledger entry. `lost`: not allocated.
 */
export async function allocationOutcome(db: Db, client: PublicClient, token: Address, wanted: { id: string; seq: number }[]) {
  const perSeq = await allocatedEventsPerSeq(client, token);
  const ids = wanted.map((order) => order.id);
  const rows = ids.length
    ? await db.execute<{ id: string; status: string; entries: string }>(sql`
        select o.id, o.status, (select count(*) from ledger_entries l where l.order_id = o.id and l.kind = 'tokens_allocated') as entries
        from orders o where o.id in ${ids}`)
    : [];
  const byId = new Map(rows.map((row) => [row.id, row]));
  let allocated = 0;
  let double = 0;
  for (const order of wanted) {
    const row = byId.get(order.id);
    const onChain = perSeq.get(BigInt(order.seq)) ?? 0;
    if (onChain > 1 || Number(row?.entries ?? 0) > 1) double++;
    if (row?.status === "allocated" && onChain === 1 && Number(row.entries) === 1) allocated++;
  }
  const supply = await client.readContract({ address: token, abi: villageTokenAbi, functionName: "totalSupply" });
  return { allocated, double, lost: wanted.length - allocated, events: [...perSeq.values()].reduce((sum, n) => sum + n, 0), supply: Number(supply) };
}

/**
 * The signer's nonces: every nonce below its on-chain transaction count is held by exactly one
 * final queue row, none beyond it, nothing waiting in the node's pool, and no row still pending
 * or sent (stuck).
 */
export async function nonceOutcome(db: Db, client: PublicClient, signer: Address) {
  const [mined, pooled] = await Promise.all([client.getTransactionCount({ address: signer, blockTag: "latest" }), client.getTransactionCount({ address: signer, blockTag: "pending" })]);
  const rows = await db.execute<{ status: string; nonce: string | null }>(sql`select status, nonce from chain_transactions where signer = ${signer}`);
  const held = new Map<number, number>();
  for (const row of rows) if (row.nonce !== null && (row.status === "confirmed" || row.status === "failed")) held.set(Number(row.nonce), (held.get(Number(row.nonce)) ?? 0) + 1);
  let gap = pooled - mined;
  for (let nonce = 0; nonce < mined; nonce++) if (held.get(nonce) !== 1) gap++;
  for (const nonce of held.keys()) if (nonce >= mined) gap++;
  return {
    nonce_gap: gap,
    stuck_transactions: rows.filter((row) => row.status === "pending" || row.status === "sent").length,
    signer_nonce: mined,
    sent_transactions: held.size,
  };
}

/** Prints the drill's figures as its last line and fails the process when they do not hold. */
export function report(figures: Record<string, unknown> & { met: boolean }): void {
  console.log(JSON.stringify(figures));
  if (!figures.met) process.exitCode = 1;
}
