import "@/test/session-mock";
import { sql } from "drizzle-orm";
import { beforeAll, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { freePort } from "@/scripts/lib/ports";
import { as, form } from "@/test/session-mock";
import { hostileWorld } from "./world";

// What the fuzz suite found, each kept as the case that found it.

// The chain node is down for this file: a closed port, so a read fails the way an outage does.
process.env.CHAIN_RPC_URL = `http://127.0.0.1:${await freePort()}`;
const { retakeVoteSnapshotAction } = await import("@/app/(staff)/staff/offerings/[id]/votes/actions");
const { dismissExceptionAction } = await import("@/app/(staff)/staff/payments/actions");
const { GET: identityDocument } = await import("@/app/api/identity-documents/[id]/route");

let world: Awaited<ReturnType<typeof hostileWorld>>;
const logged: unknown[][] = [];

beforeAll(async () => {
  world = await hostileWorld();
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void logged.push(args));
});

it("refuses a payment case's note holding a NUL byte as invalid input, instead of a failed query (a 500)", async () => {
  as.user = world.staffA;
  logged.length = 0;
  const state = await dismissExceptionAction({ status: "idle" }, form({ exceptionId: "00000000-0000-4000-8000-000000000000", note: "abc\u0000def" }));
  expect(state).toMatchObject({ status: "invalid", fieldErrors: { note: expect.any(String) } });
  expect(logged.filter(([tag]) => tag === "[action]")).toEqual([]);
});

it("answers 404 for an identity document whose file cannot be read (the demo bondholders' documents), not a 500", async () => {
  const [document] = await getDb().execute<{ id: string }>(sql`select id from identity_documents where storage_key like 'identity/demo-%' limit 1`);
  expect(document, "a seeded bondholder's document").toBeDefined();
  as.user = world.admin;
  const response = await identityDocument(new Request(`http://localhost/api/identity-documents/${document!.id}`), { params: Promise.resolve({ id: document!.id }) });
  expect(response.status).toBe(404);
});

// With the node down, staff retaking a vote's holders snapshot waited on the jobs' two-minute retry of
// the unreachable node, so the page never answered (a proxy's 504). Now it gives up in seconds.
it("answers a vote snapshot retake within 15 s while the chain node is down, with a typed error", { timeout: 60_000 }, async () => {
  const [vote] = await getDb().execute<{ id: string }>(sql`select id from votes where offering_id = ${world.offeringB.id}`);
  expect(vote, "the seed's vote of issuer B").toBeDefined();
  as.user = world.staffB;
  const started = Date.now();
  const state = await retakeVoteSnapshotAction({ status: "idle" }, form({ offeringId: world.offeringB.id, voteId: vote!.id }));
  expect(Date.now() - started).toBeLessThan(15_000);
  expect(state).toMatchObject({ status: "error", message: expect.stringContaining("取り直して") });
});
