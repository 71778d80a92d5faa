import { count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseError, testDb } from "@/test/db";
import { auditLog, ledgerEntries, offerings, projects, projectUpdates, users, villages } from "./schema";
import { DEMO_OFFERING_SLUG, DEMO_STAFF_EMAIL, seedIfEmpty } from "./seed";

const { db, client } = testDb();
afterAll(() => client.end());

describe("seed", () => {
  beforeAll(async () => {
    expect(await seedIfEmpty(db)).toBe(true);
  });

  it("creates a village, one open offering, three projects with updates and a staff account", async () => {
    expect((await db.select({ n: count() }).from(villages))[0]!.n).toBe(1);
    const open = await db.select().from(offerings).where(eq(offerings.status, "open"));
    expect(open).toHaveLength(1);
    expect(open[0]!.slug).toBe(DEMO_OFFERING_SLUG);
    expect(Number.isInteger(open[0]!.priceYen)).toBe(true);
    expect(open[0]!.opensAt.getTime()).toBeLessThan(Date.now());
    expect(open[0]!.closesAt.getTime()).toBeGreaterThan(Date.now());

    const projectRows = await db.select().from(projects);
    expect(projectRows).toHaveLength(3);
    for (const project of projectRows) {
      const updates = await db.select().from(projectUpdates).where(eq(projectUpdates.projectId, project.id));
      expect(updates.length, project.slug).toBeGreaterThan(0);
    }
    const [staff] = await db.select().from(users).where(eq(users.email, DEMO_STAFF_EMAIL));
    expect(staff?.role).toBe("staff");
  });

  it("seeds only an empty database", async () => {
    expect(await seedIfEmpty(db)).toBe(false);
    expect((await db.select({ n: count() }).from(projects))[0]!.n).toBe(3);
  });
});

describe("database invariants", () => {
  it("refuses to reserve past an offering's cap even without the conditional update", async () => {
    const [offering] = await db.select().from(offerings).limit(1);
    const error = await databaseError(
      db
        .update(offerings)
        .set({ reservedUnits: offering!.capUnits + 1 })
        .where(eq(offerings.id, offering!.id)),
    );
    expect(error.constraint_name).toBe("offerings_within_cap");
    const [after] = await db.select().from(offerings).where(eq(offerings.id, offering!.id));
    expect(after!.reservedUnits).toBe(offering!.reservedUnits);
  });

  it("keeps the ledger append-only", async () => {
    const [offering] = await db.select().from(offerings).limit(1);
    const [entry] = await db.insert(ledgerEntries).values({ kind: "yen_received", offeringId: offering!.id, yen: 3000 }).returning();
    expect((await databaseError(db.update(ledgerEntries).set({ yen: 1 }).where(eq(ledgerEntries.id, entry!.id)))).message).toMatch(/append-only/);
    expect((await databaseError(db.delete(ledgerEntries).where(eq(ledgerEntries.id, entry!.id)))).message).toMatch(/append-only/);
    const [still] = await db.select().from(ledgerEntries).where(eq(ledgerEntries.id, entry!.id));
    expect(still!.yen).toBe(3000);
  });

  it("keeps the audit log append-only", async () => {
    const [row] = await db.insert(auditLog).values({ action: "test.recorded" }).returning();
    expect((await databaseError(db.execute(sql`delete from audit_log where id = ${row!.id}`))).message).toMatch(/append-only/);
    expect((await db.select({ n: count() }).from(auditLog).where(eq(auditLog.id, row!.id)))[0]!.n).toBe(1);
  });

  it("stores every time as timestamp with time zone and every yen amount as an integer", async () => {
    const columns = await db.execute<{ table_name: string; column_name: string; data_type: string }>(sql`
      select table_name, column_name, data_type from information_schema.columns
      where table_schema = 'public' and (data_type like 'timestamp%' or column_name like '%yen%')`);
    expect(columns.length).toBeGreaterThan(10);
    for (const column of columns) {
      if (column.column_name.includes("yen")) expect(column.data_type, column.column_name).toBe("integer");
      else expect(column.data_type, `${column.table_name}.${column.column_name}`).toBe("timestamp with time zone");
    }
  });
});
