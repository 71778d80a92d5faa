/**
 * `npm run bench -- NAME [--flag value ...]` runs bench/NAME.ts, which prints its figures as one
 * JSON line last. Adding a benchmark is adding a file.
 */
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const name = process.argv[2];
const available = readdirSync(here)
  .filter((file) => file.endsWith(".ts") && file !== "run.ts" && !file.startsWith("_"))
  .map((file) => file.slice(0, -3));
if (!name || !/^[a-z0-9-]+$/.test(name) || !existsSync(path.join(here, `${name}.ts`))) {
  console.error(`usage: npm run bench -- NAME [options]\navailable: ${available.join(", ")}`);
  process.exit(2);
}
process.argv.splice(2, 1);
await import(`./${name}.ts`);
