// Runs after `npm install`: mends postgres.js 3.4.9 so that a PostgreSQL restart cannot crash the
// portal's processes nor leave a query waiting forever. Unpatched, a write buffered for a
// connection whose socket has just closed throws from a setImmediate (uncaught: the worker dies);
// queries sent on a socket that closed with an error are never answered; a `reserve()` waiting
// for a connection that reconnects is dropped (porsager/postgres#1195); queries held by a reserved
// connection or a transaction whose connection closed are never answered, and later ones run on a
// connection the pool has given to someone else. `npm run bench -- db-restart` and
// test/db-restart.test.ts show it.
// Idempotent (a file already mended by an earlier version of this script is first taken back);
// fails loudly when the installed version is not the one these edits were written for.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const VERSION = "3.4.9";
const MARK = "/* village-portal: closed-socket patch v2 */";
/** The first version's mark: its edits are the first six below, taken back before all are made. */
const MARK_V1 = "/* village-portal: closed-socket patch */";
const V1_EDITS = 6;
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
  // A waiting reserve() handed to a connecting connection as its first job is not also queued ...
  [
    "index.js",
    "        const query = { reserve: resolve, reject }\n        queries.push(query)\n        closed.length && connect(closed.shift(), query)\n",
    "        const query = { reserve: resolve, reject }\n        closed.length ? connect(closed.shift(), query) : queries.push(query)\n",
  ],
  // ... and the connection, once started, is handed to it instead of being dropped.
  [
    "connection.js",
    "      if (needsTypes) {\n        initial.reserve && (initial = null)\n        return fetchArrayTypes()\n      }\n\n      initial && !initial.reserve && execute(initial)\n",
    "      if (needsTypes)\n        return fetchArrayTypes()\n\n      initial && (initial.reserve ? initial.reserve(connection) : execute(initial))\n",
  ],
  // A reserved connection that closed rejects what it holds and what it is given later; release() leaves it be.
  [
    "index.js",
    "    c.reserved.release = true\n\n    const sql = Sql(handler)\n    sql.release = () => {\n      c.reserved = null\n      c.queue === closed || c.queue === connecting || onopen(c)\n    }\n\n    return sql\n\n    function handler(q) {\n      c.queue === full\n",
    "    c.reserved.release = true\n    let lost = null\n    c.onclose = e => {\n      lost = e\n      while (queue.length)\n        queue.shift().reject(e)\n    }\n\n    const sql = Sql(handler)\n    sql.release = () => {\n      lost || (c.reserved = c.onclose = null, onopen(c))\n    }\n\n    return sql\n\n    function handler(q) {\n      lost ? q.reject(lost) : c.queue === full\n",
  ],
  // The same for a transaction (savepoints included).
  [
    "index.js",
    "      , prepare = null\n\n    try {\n      await sql.unsafe('begin ' + options.replace(/[^a-z ]/ig, ''), [], { onexecute }).execute()\n      return await Promise.race([\n        scope(connection, fn),\n        new Promise((_, reject) => connection.onclose = reject)\n      ])\n",
    "      , prepare = null\n      , lost = null\n\n    try {\n      await sql.unsafe('begin ' + options.replace(/[^a-z ]/ig, ''), [], { onexecute }).execute()\n      return await Promise.race([\n        scope(connection, fn),\n        new Promise((_, reject) => connection.onclose = e => {\n          lost = e\n          while (queries.length)\n            queries.shift().reject(e)\n          reject(e)\n        })\n      ])\n",
  ],
  [
    "index.js",
    "        q.catch(e => uncaughtError || (uncaughtError = e))\n        c.queue === full\n",
    "        q.catch(e => uncaughtError || (uncaughtError = e))\n        lost ? q.reject(lost) : c.queue === full\n",
  ],
];

/** Every edit's `from` must occur exactly once in the text it is made on. */
function replaceOnce(text, from, to, where) {
  if (text.split(from).length !== 2) {
    console.error(`[patch-postgres] ${where}: the text to mend was not found once; the package differs from ${VERSION} as published.`);
    process.exit(1);
  }
  return text.replace(from, () => to);
}

for (const dir of ["src", "cjs/src"]) {
  for (const file of new Set(EDITS.map(([name]) => name))) {
    const target = path.join(root, dir, file);
    let text = readFileSync(target, "utf8");
    if (text.startsWith(`${MARK}\n`)) continue;
    if (text.startsWith(`${MARK_V1}\n`)) {
      text = text.slice(MARK_V1.length + 1);
      for (const [name, from, to] of EDITS.slice(0, V1_EDITS).reverse()) if (name === file) text = replaceOnce(text, to, from, `${dir}/${file} (taking back the first version)`);
    }
    for (const [name, from, to] of EDITS) if (name === file) text = replaceOnce(text, from, to, `${dir}/${file}`);
    writeFileSync(target, `${MARK}\n${text}`);
  }
}
console.log(`[patch-postgres] postgres ${VERSION} mended (closed sockets, reserved connections and transactions)`);
