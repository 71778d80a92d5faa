// Runs after `npm install`: mends postgres.js 3.4.9 so that a PostgreSQL restart cannot crash the
// portal's processes. Unpatched, a write buffered for a connection whose socket has just closed
// throws from a setImmediate (uncaught: the worker dies), and the pooled connection is left with
// stale bytes, and queries sent on a socket that closed with an error are never answered: they hang. `npm run bench -- db-restart` and lib/db-restart.test.ts show it.
// Idempotent; fails loudly when the installed version is not the one these edits were written for.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const VERSION = "3.4.9";
const MARK = "/* village-portal: closed-socket patch */";
const root = path.join(path.dirname(new URL(import.meta.url).pathname), "..", "node_modules", "postgres");
const { version } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
if (version !== VERSION) {
  console.error(`[patch-postgres] postgres ${version} is installed; this patch is for ${VERSION}. Check whether it is still needed, then update scripts/patch-postgres.mjs.`);
  process.exit(1);
}

/** [file under src/ (and cjs/src/), the text as shipped, the text it becomes] */
const EDITS = [
  [
    "connection.js",
    "  function execute(q) {\n    if (terminated)\n      return queryError(q, Errors.connection('CONNECTION_DESTROYED', options))\n",
    "  function execute(q) {\n    if (terminated)\n      return queryError(q, Errors.connection('CONNECTION_DESTROYED', options))\n\n    if (!socket)\n      return queryError(q, Errors.connection('CONNECTION_CLOSED', options))\n",
  ],
  [
    "connection.js",
    "  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)\n",
    "  function nextWrite(fn) {\n    if (!socket) {\n      chunk = nextWriteTimer = null\n      error(Errors.connection('CONNECTION_CLOSED', options))\n      return false\n    }\n    const x = socket.write(chunk, fn)\n",
  ],
  ["connection.js", "    clearImmediate(nextWriteTimer)\n    if (socket) {\n", "    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n    if (socket) {\n"],
  ["connection.js", "    incomings = null\n    clearImmediate(nextWriteTimer)\n", "    incomings = null\n    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n"],
  [
    "connection.js",
    "    !hadError && (query || sent.length) && error(Errors.connection('CONNECTION_CLOSED', options, socket))\n",
    "    ;(query || sent.length) && error(Errors.connection('CONNECTION_CLOSED', options, socket))\n",
  ],
  [
    "index.js",
    "    sql.release = () => {\n      c.reserved = null\n      onopen(c)\n",
    "    sql.release = () => {\n      c.reserved = null\n      c.queue === closed || c.queue === connecting || onopen(c)\n",
  ],
];

for (const dir of ["src", "cjs/src"]) {
  for (const file of new Set(EDITS.map(([name]) => name))) {
    const target = path.join(root, dir, file);
    let text = readFileSync(target, "utf8");
    if (text.startsWith(MARK)) continue;
    for (const [name, from, to] of EDITS) {
      if (name !== file) continue;
      if (!text.includes(from)) {
        console.error(`[patch-postgres] ${dir}/${file}: the text to mend was not found; the package differs from ${VERSION} as published.`);
        process.exit(1);
      }
      text = text.replace(from, to);
    }
    writeFileSync(target, `${MARK}\n${text}`);
  }
}
console.log(`[patch-postgres] postgres ${VERSION} mended (closed sockets)`);
