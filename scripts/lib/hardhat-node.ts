import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { stopChild } from "./processes";

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * Private keys of Hardhat's default dev accounts (mnemonic "test test ... junk"). They are
 * public knowledge and fund only local test chains: never use them anywhere real.
 * Account 0 is the deployer, admin and issuer in dev and tests.
 */
export const HARDHAT_DEV_PRIVATE_KEYS = [
  "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
  "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
  "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
  "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
  "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
  "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e",
  "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356",
  "0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97",
  "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6",
] as const;

export type HardhatNode = { rpcUrl: string; port: number; stop(): Promise<void> };

export type HardhatNodeOptions = {
  /** 0 (the default) lets the kernel pick a free port. */
  port?: number;
  chainId?: number;
  /** Receives every output line of the node (it logs each RPC call); silent by default. */
  log?: (line: string) => void;
  timeoutMs?: number;
  /** The genesis block's time (Hardhat's default: now); later blocks count on from it. */
  initialDate?: Date;
};

const READY_LINE = /Started HTTP and WebSocket JSON-RPC server at http:\/\/127\.0\.0\.1:(\d+)\//;

async function rpcChainId(rpcUrl: string): Promise<number | undefined> {
  try {
    const response = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      signal: AbortSignal.timeout(5_000),
    });
    const body = (await response.json()) as { result?: string };
    return body.result ? Number(body.result) : undefined;
  } catch {
    return undefined;
  }
}

/** Starts `hardhat node` on 127.0.0.1 (state in memory only) and resolves once eth_chainId answers. */
export async function startHardhatNode(options: HardhatNodeOptions = {}): Promise<HardhatNode> {
  const { port = 0, chainId = 31337, log, timeoutMs = 60_000, initialDate } = options;
  const cli = require.resolve("hardhat/internal/cli/bootstrap.js");
  const args = [cli, "node", "--hostname", "127.0.0.1", "--port", String(port), "--config", path.join(root, "hardhat.config.cjs")];
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, HARDHAT_DISABLE_TELEMETRY_PROMPT: "true", HARDHAT_CHAIN_ID: String(chainId), HARDHAT_INITIAL_DATE: initialDate?.toISOString() ?? "" },
    stdio: ["ignore", "pipe", "pipe"],
  });

  const recent: string[] = [];
  let onPort: (port: number) => void = () => undefined;
  const portSeen = new Promise<number>((resolve) => (onPort = resolve));
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = "";
    stream.on("data", (chunk: Buffer) => {
      buffered += chunk.toString("utf8");
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        log?.(line);
        recent.push(line);
        if (recent.length > 40) recent.shift();
        const match = READY_LINE.exec(line);
        if (match?.[1]) onPort(Number(match[1]));
      }
    });
  }
  const exited = new Promise<never>((_, reject) => child.once("exit", (code, signal) => reject(new Error(`hardhat node exited (${signal ?? code}) before it was ready:\n${recent.join("\n")}`))));
  exited.catch(() => undefined); // only awaited while starting

  // Safety net: a test runner that exits without calling stop() must not leave a node behind.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const stop = async () => {
    await stopChild(child, 5_000);
    process.removeListener("exit", killOnExit);
  };
  try {
    const deadline = Date.now() + timeoutMs;
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`hardhat node not ready within ${timeoutMs} ms:\n${recent.join("\n")}`)), timeoutMs).unref());
    const actualPort = await Promise.race([portSeen, exited, timeout]);
    const rpcUrl = `http://127.0.0.1:${actualPort}`;
    while ((await Promise.race([rpcChainId(rpcUrl), exited])) !== chainId) {
      if (Date.now() > deadline) throw new Error(`hardhat node at ${rpcUrl} did not answer eth_chainId ${chainId}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return { rpcUrl, port: actualPort, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
