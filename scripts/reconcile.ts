import { closeDb, getDb } from "@/db/client";
import { chainReader, issuerAddress } from "@/lib/chain/context";
import { reconcileAll } from "@/lib/chain/reconcile";

/**
 * `npm run reconcile`: compares the chain with the database (total supply, every holder), records
 * the result and prints it as one JSON line. Exit code 1 on a mismatch, 2 when the chain could
 * not be read.
 */
const result = await reconcileAll({ db: getDb(), ...chainReader(), account: { address: issuerAddress() } });
console.log(JSON.stringify(result));
await closeDb();
process.exit(result.reconcile === "ok" ? 0 : result.reconcile === "mismatch" ? 1 : 2);
