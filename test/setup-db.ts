import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, inject } from "vitest";
import { closeDb } from "../db/client";
import { ensureDatabase, withDatabase } from "../scripts/lib/embedded-pg";
import { dropDatabase } from "./databases";

// Each test file runs against its own fresh, migrated database.
const { adminUrl, template } = inject("testDb");
const database = `village_test_${randomBytes(6).toString("hex")}`;
await ensureDatabase(adminUrl, database, template);

process.env.DATABASE_URL = withDatabase(adminUrl, database);
process.env.PORTAL_MODE = "demo";
process.env.AUTH_SECRET = randomBytes(32).toString("base64url");
process.env.DATA_DIR = mkdtempSync(path.join(os.tmpdir(), "village-test-data-"));
delete process.env.EMAIL_SERVER;

afterAll(async () => {
  await closeDb();
  await dropDatabase(adminUrl, database);
});
