import { migrateDatabase } from "@/db/migrate";
import { env } from "@/lib/env";

await migrateDatabase(env().databaseUrl);
console.log("migrations applied");
