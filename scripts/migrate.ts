import { migrateDatabase } from "@/db/migrate";
import { env } from "@/lib/env";
import { prepareQueues } from "@/lib/jobs/worker";

await migrateDatabase(env().databaseUrl);
await prepareQueues(env().databaseUrl);
console.log("migrations applied, job queues ready");
