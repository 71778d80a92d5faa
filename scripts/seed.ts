import { closeDb, getDb } from "@/db/client";
import { seedIfEmpty } from "@/db/seed";

const seeded = await seedIfEmpty(getDb());
console.log(seeded ? "demo data seeded" : "database already has data: nothing seeded");
await closeDb();
