import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { isDeepStrictEqual } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { translator } from "@/lib/i18n/catalog";
import { setTestSettings } from "@/test/settings";
import { caller } from "./session";
import { actions, inlineActions, load } from "./enumerate";
import { expected, type Outcome } from "./matrix";
import { ACTIONS, INLINE_ACTIONS, type ActionRule } from "./matrix-actions";
import { outcomeOfThrow } from "./outcomes";
import { authzWorld, WHO, type Who, type World } from "./world";

// Every export of every "use server" module, called by each of six callers with a form for a thing
// of "this" investor or issuer. A refusal must change nothing: every table's writes are logged by a
// trigger, and a refused call may leave none (a rate-limit count excepted).

setTestSettings({ API_LIMIT_PER_MINUTE: "100000" });

type State = { status?: string; message?: string; redirect?: string };
type Action = (state: State, data: FormData) => Promise<State>;

const t = translator("en");
const DENIALS: Record<string, Outcome> = { [t("errors.signInRequired")]: "signIn", [t("errors.forbidden")]: "forbidden" };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Counting an attempt is not a change of anything the attempt was after. */
const IGNORED_WRITES = new Set(["rate_limits"]);

let world: World;
beforeAll(async () => {
  world = await authzWorld();
  await getDb().execute(
    sql.raw(`
    CREATE TABLE authz_writes (id bigserial PRIMARY KEY, tbl text NOT NULL, op text NOT NULL);
    CREATE FUNCTION authz_log() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO authz_writes (tbl, op) VALUES (TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, TG_OP); RETURN NULL; END $$;
    DO $$ DECLARE r record; BEGIN
      FOR r IN SELECT c.oid::regclass AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND c.relname <> 'authz_writes' LOOP
        EXECUTE format('CREATE TRIGGER authz_log AFTER INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW EXECUTE FUNCTION authz_log()', r.name);
      END LOOP;
    END $$;`),
  );
});
afterAll(() => {
  if (weak.length) console.info(`[authz] allowed after an earlier caller changed the thing (judged by writes): ${weak.join(", ")}`);
});

const weak: string[] = [];
const lastWrite = async () => Number((await getDb().execute<{ n: string }>(sql`select coalesce(max(id), 0) as n from authz_writes`))[0]!.n);
const writesSince = async (mark: number) =>
  (await getDb().execute<{ tbl: string; op: string }>(sql`select tbl, op from authz_writes where id > ${mark} order by id`))
    .map((row) => `${row.op} ${row.tbl.replace(/^public\./, "")}`)
    .filter((write) => !IGNORED_WRITES.has(write.split(" ")[1]!));

// Not test/session-mock.ts's form(): importing that file would mock the session one layer too high.
function form(fields: Record<string, string | Blob | string[]>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) for (const item of [value].flat()) data.append(key, item);
  return data;
}

async function call(action: Action, fields: Record<string, string | Blob | string[]>): Promise<State> {
  try {
    // An action that answers nothing (refreshInBackground) has done its work.
    return (await action({ status: "idle" }, form(fields))) ?? { status: "ok" };
  } catch (error) {
    const outcome = outcomeOfThrow(error);
    if (!outcome) throw error;
    return { redirect: outcome };
  }
}

/** The same form with every id replaced by one that exists nowhere: what a stranger to the thing is told. */
const withStrangeIds = (fields: Record<string, string | Blob | string[]>) =>
  Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, typeof value === "string" && UUID.test(value) ? randomUUID() : value]));

function outcomeOf(entry: ActionRule, result: State, stranger: State | null): Outcome | "invalid" {
  if (result.redirect) return result.redirect as Outcome;
  if (result.status === "error" && result.message && DENIALS[result.message]) return DENIALS[result.message]!;
  if (stranger && isDeepStrictEqual(result, stranger)) return "notFound";
  if (entry.refusal && result.message === t(entry.refusal)) return "notFound";
  // With nothing to own (public, signed-in), the handler judging the input is the action at work.
  if (result.status === "invalid" && entry.rule !== "public" && entry.rule !== "signedIn") return "invalid";
  return "allow";
}

/** Who stands for "allowed" when asking what a stranger is told. */
const FIRST_ALLOWED: Record<ActionRule["rule"], Who> = {
  public: "investor",
  signedIn: "investor",
  owner: "investor",
  ownerOrStaff: "investor",
  issuerStaff: "staffThis",
  staffAny: "staffThis",
  admin: "admin",
};
/** Refused callers first, while every thing is as the world made it; then the one the form was written for. */
const orderOf = (entry: ActionRule): Who[] => {
  const refused = WHO.filter((who) => expected(entry, who) !== "allow");
  const allowed = WHO.filter((who) => expected(entry, who) === "allow" && who !== FIRST_ALLOWED[entry.rule]);
  return [...refused, ...(refused.includes(FIRST_ALLOWED[entry.rule]) ? [] : [FIRST_ALLOWED[entry.rule]]), ...allowed];
};

const found = actions();

describe("the action matrix", () => {
  it("has one entry per exported server action on disk, and none for one that is gone", () => {
    expect(Object.keys(ACTIONS).sort()).toEqual(found.map((action) => action.key).sort());
  });

  it("covers each inline server action by the exported action it calls", () => {
    expect(Object.keys(INLINE_ACTIONS).sort()).toEqual(inlineActions().sort());
    for (const [key, via] of Object.entries(INLINE_ACTIONS)) {
      const [file, name] = key.split("#") as [string, string];
      const text = readFileSync(`${file}.tsx`, "utf8");
      const body = text.slice(text.indexOf(`async function ${name}(`));
      expect(body.slice(0, body.indexOf("\n}")), key).toContain(`await ${via}(`);
    }
  });

  it.each(found.map((action) => [action.key, action] as const))("%s", async (key, found) => {
    const entry = ACTIONS[key];
    if (!entry) return; // reported by the completeness test
    caller.locale = "en";
    const action = (await load<Record<string, Action>>(found.file))[found.name]!;
    const fields = entry.form(world);
    const hasIds = Object.values(fields).some((value) => typeof value === "string" && UUID.test(value));
    caller.user = world.who[FIRST_ALLOWED[entry.rule]];
    const stranger = hasIds ? await call(action, withStrangeIds(fields)) : null;

    const got: Partial<Record<Who, string>> = {};
    const want: Partial<Record<Who, string>> = {};
    let changed = false;
    for (const who of orderOf(entry)) {
      caller.user = world.who[who];
      const mark = await lastWrite();
      const result = await call(action, entry.form(world));
      if (process.env.AUTHZ_DEBUG) console.log(key, who, JSON.stringify(result).slice(0, 300), "stranger", JSON.stringify(stranger).slice(0, 200));
      const writes = await writesSince(mark);
      let outcome: string = outcomeOf(entry, result, stranger);
      want[who] = expected(entry, who);
      if (want[who] === "allow" && outcome === "notFound" && changed) {
        weak.push(`${key} (${who})`);
        outcome = "allow";
      }
      if (want[who] !== "allow" && writes.length > 0) outcome = `${outcome}, but wrote ${writes.join(", ")}`;
      if (outcome === "invalid") outcome = `invalid: ${JSON.stringify(result)}`;
      if (want[who] === "allow" && writes.length > 0) changed = true;
      got[who] = outcome;
    }
    expect(got).toEqual(want);
  });

  // The classic hole: a staff member names an offering of their own issuer, and a thing (a run, a
  // claim, a request, a project) of another issuer's. Nothing may change, and the answer is no success.
  const mixed = Object.entries(ACTIONS).filter(([, entry]) => entry.rule === "issuerStaff");
  it.for(mixed)("%s: another issuer's staff naming their own offering", async ([key, entry], { skip }) => {
    const file = found.find((action) => action.key === key);
    if (!file) return; // reported by the completeness test
    caller.user = world.who.staffOther;
    const own = { offeringId: world.otherOffering.id, issuerId: world.otherIssuerId };
    const fields = Object.fromEntries(Object.entries(entry.form(world)).map(([name, value]) => [name, own[name as keyof typeof own] ?? value]));
    // With the offering or issuer swapped, a form naming nothing else is wholly the caller's own issuer's.
    const namesAThing = Object.entries(fields).some(([name, value]) => !(name in own) && typeof value === "string" && UUID.test(value));
    if (!namesAThing) skip();
    const mark = await lastWrite();
    const result = await call((await load<Record<string, Action>>(file.file))[file.name]!, fields);
    expect({ status: result.status, writes: await writesSince(mark) }, JSON.stringify(result)).toMatchObject({ status: expect.not.stringMatching(/^ok$/), writes: [] });
  });
});
