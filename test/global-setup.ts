import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { migrateDatabase } from "../db/migrate";
import { prepareQueues } from "../lib/jobs/worker";
import { ensureDatabase, makeTempDir, startEmbeddedPostgres, withDatabase } from "../scripts/lib/embedded-pg";
import { freePort } from "../scripts/lib/ports";
import { dropDatabase } from "./databases";

declare module "vitest" {
  export interface ProvidedContext {
    testDb: { adminUrl: string; template: string };
  }
}

/**
 * One PostgreSQL for the run (embedded in a temp dir, or the server of DATABASE_URL), with a
 * migrated template database; each test file then gets its own fresh copy (test/setup-db.ts).
 */
export default async function setup(project: TestProject) {
  const external = process.env.DATABASE_URL;
  let dir: string | undefined;
  let stopCluster: (() => Promise<void>) | undefined;
  let adminUrl: string;
  if (external) {
    adminUrl = withDatabase(external, "postgres");
  } else {
    dir = makeTempDir("village-test-");
    const cluster = await startEmbeddedPostgres({
      dir: path.join(dir, "pg"),
      port: await freePort(),
      password: randomBytes(12).toString("hex"),
    });
    adminUrl = cluster.urlFor("postgres");
    stopCluster = cluster.stop;
  }
  const template = `village_template_${process.pid}`;
  await dropDatabase(adminUrl, template);
  await ensureDatabase(adminUrl, template);
  await migrateDatabase(withDatabase(adminUrl, template));
  await prepareQueues(withDatabase(adminUrl, template));
  project.provide("testDb", { adminUrl, template });

  return async () => {
    await dropDatabase(adminUrl, template).catch(() => undefined);
    await stopCluster?.();
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
}
