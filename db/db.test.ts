import { count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseError, testDb } from "@/test/db";
import { auditLog, issuerStaff, ledgerEntries, offerings, projects, projectUpdates, users, villages } from "./schema";
import { DEMO_OFFERING_SLUG, DEMO_OTHER_ISSUER_STAFF_EMAIL, DEMO_OTHER_OFFERING_SLUG, DEMO_SECOND_STAFF_EMAIL, DEMO_STAFF_EMAIL, seedIfEmpty } from "./seed";

const { db, client } = testDb();
afterAll(() => client.end());

describe("seed", () => {
  beforeAll(async () => {
    expect(await seedIfEmpty(db)).toBe(true);
  });

  it("creates two issuers, each with an open approved offering, projects with updates, and staff of each", async () => {
    expect((await db.select({ n: count() }).from(villages))[0]!.n).toBe(2);
    const open = await db.select().from(offerings).where(eq(offerings.status, "open"));
    expect(open.map((row) => row.slug).sort()).toEqual([DEMO_OFFERING_SLUG, DEMO_OTHER_OFFERING_SLUG].sort());
    expect(new Set(open.map((row) => row.villageId)).size).toBe(2);
    for (const offering of open) {
      expect(Number.isInteger(offering.priceYen)).toBe(true);
      expect(offering.approvedRevision).toBe(offering.termsRevision);
      expect(offering.opensAt.getTime()).toBeLessThan(Date.now());
      expect(offering.closesAt.getTime()).toBeGreaterThan(Date.now());
    }

    const projectRows = await db.select().from(projects);
    expect(projectRows).toHaveLength(5);
    for (const project of projectRows) {
      const updates = await db.select().from(projectUpdates).where(eq(projectUpdates.projectId, project.id));
      expect(updates.length, project.slug).toBeGreaterThan(0);
    }
    const memberships = await db.select({ email: users.email, issuerId: issuerStaff.issuerId, role: users.role }).from(issuerStaff).innerJoin(users, eq(users.id, issuerStaff.userId));
    const issuerOf = (email: string) => memberships.filter((row) => row.email === email).map((row) => row.issuerId);
    expect(issuerOf(DEMO_STAFF_EMAIL)).toHaveLength(1);
    expect(issuerOf(DEMO_SECOND_STAFF_EMAIL)).toEqual(issuerOf(DEMO_STAFF_EMAIL));
    expect(issuerOf(DEMO_OTHER_ISSUER_STAFF_EMAIL)).toHaveLength(1);
    expect(issuerOf(DEMO_OTHER_ISSUER_STAFF_EMAIL)).not.toEqual(issuerOf(DEMO_STAFF_EMAIL));
    expect(memberships.every((row) => row.role === "staff")).toBe(true);
  });

  it("seeds only an empty database", async () => {
    expect(await seedIfEmpty(db)).toBe(false);
    expect((await db.select({ n: count() }).from(projects))[0]!.n).toBe(5);
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

  it("stores every time as timestamp with time zone and every yen amount as a whole number (integer or bigint)", async () => {
    const columns = await db.execute<{ table_name: string; column_name: string; data_type: string }>(sql`
      select table_name, column_name, data_type from information_schema.columns
      where table_schema = 'public' and (data_type like 'timestamp%' or column_name like '%yen%')`);
    expect(columns.length).toBeGreaterThan(10);
    for (const column of columns) {
      // Whole yen: integer, or bigint for totals that may pass ¥2.1 billion (a run's principal).
      if (column.column_name.includes("yen")) expect(["integer", "bigint"], `${column.table_name}.${column.column_name}`).toContain(column.data_type);
      else expect(column.data_type, `${column.table_name}.${column.column_name}`).toBe("timestamp with time zone");
    }
  });
});
