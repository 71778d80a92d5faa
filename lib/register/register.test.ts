import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { as } from "@/test/session-mock";
import { makeUser } from "@/test/fixtures";
import { getDb } from "@/db/client";
import { DEMO_OFFERING_SLUG, seedIfEmpty } from "@/db/seed";
import { auditLog, investorProfiles, issuerStaff, ledgerEntries, offerings, orders, wallets, type NewInvestorProfile } from "@/db/schema";
import { GET as exportRoute } from "@/app/(staff)/staff/register/export/route";
import { POST as demoRoute } from "@/app/(staff)/staff/register/demo-holding/route";
import { recordAudit } from "@/lib/audit";
import { translator } from "@/lib/i18n/catalog";
import type { SessionUser } from "@/lib/auth/roles";
import { searchAuditLog } from "./audit-log";
import { auditQuery } from "./audit-params";
import { csvCell } from "./csv";
import { getRegister, registerCsv } from "./register";

/** RFC 4180 parsing, written here so the test does not trust the code it checks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += ch;
  }
  if (cell !== "" || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

const T = (iso: string) => new Date(iso);
let offeringId: string;
let staff: SessionUser;
let hanako: SessionUser;
let taro: SessionUser;
let tricky: SessionUser;

async function holderWithProfile(profile: Partial<NewInvestorProfile>, wallet?: string) {
  const user = await makeUser();
  await getDb()
    .insert(investorProfiles)
    .values({ userId: user.id, prefecture: "33", city: "英田郡西森村", street: "影石33-1", postalCode: "707-0503", phone: "0868792111", birthDate: "1990-04-01", ...profile });
  if (wallet) await getDb().insert(wallets).values({ userId: user.id, address: wallet, encryptedKey: "x", wrappedDataKey: "x", masterKeyVersion: 1 });
  return user;
}

beforeAll(async () => {
  const db = getDb();
  await seedIfEmpty(db);
  const [seeded] = await db.select().from(offerings).where(eq(offerings.slug, DEMO_OFFERING_SLUG));
  offeringId = seeded!.id;
  staff = await makeUser("staff");
  // Staff see and export only the registers of the issuers they belong to.
  await db.insert(issuerStaff).values({ issuerId: seeded!.villageId, userId: staff.id });
  hanako = await holderWithProfile({ familyNameKanji: "山田", givenNameKanji: "花子", familyNameKana: "ヤマダ", givenNameKana: "ハナコ" }, "0x1111111111111111111111111111111111111111");
  taro = await holderWithProfile({ familyNameKanji: "西森", givenNameKanji: "太郎", familyNameKana: "ニシモリ", givenNameKana: "タロウ", street: '大字坂根1番地, 森の家"A"棟' });
  tricky = await holderWithProfile({ familyNameKanji: '=HYPERLINK("http://evil")', givenNameKanji: "髙橋", familyNameKana: "タカハシ", givenNameKana: "ツヨシ" });
  const [order] = await db
    .insert(orders)
    .values({ userId: hanako.id, offeringId, units: 10, amountYen: 10_000, status: "allocated", reservationExpiresAt: T("2026-11-01T00:00:00Z") })
    .returning();
  await db.insert(ledgerEntries).values([
    { kind: "tokens_allocated", offeringId, orderId: order!.id, userId: hanako.id, units: 10, at: T("2026-11-01T01:00:00Z") },
    { kind: "tokens_allocated", offeringId, userId: taro.id, units: 5, at: T("2026-11-05T01:00:00Z") },
    { kind: "tokens_allocated", offeringId, userId: tricky.id, units: 1, at: T("2026-11-06T01:00:00Z") },
    { kind: "tokens_clawed_back", offeringId, userId: hanako.id, units: -4, at: T("2026-11-10T01:00:00Z") },
    { kind: "tokens_clawed_back", offeringId, userId: taro.id, units: -5, at: T("2026-11-12T01:00:00Z") },
    // A yen entry is not a holding.
    { kind: "yen_received", offeringId, userId: staff.id, yen: 1000, at: T("2026-11-01T01:00:00Z") },
  ]);
});

describe("the holder register", () => {
  it("shows the holders and balances as they stood at a chosen moment", async () => {
    const snapshot = async (iso: string) => (await getRegister(offeringId, T(iso))).holders.map((holder) => [holder.nameKanji, holder.units]);
    expect(await snapshot("2026-10-31T00:00:00Z")).toEqual([]);
    expect(await snapshot("2026-11-02T00:00:00Z")).toEqual([["山田 花子", 10]]);
    expect(await snapshot("2026-11-07T00:00:00Z")).toEqual([
      ['=HYPERLINK("http://evil") 髙橋', 1],
      ["西森 太郎", 5],
      ["山田 花子", 10],
    ]);
    expect(await snapshot("2026-11-20T00:00:00Z")).toEqual([
      ['=HYPERLINK("http://evil") 髙橋', 1],
      ["山田 花子", 6],
    ]);
    const register = await getRegister(offeringId, T("2026-11-20T00:00:00Z"));
    expect(register.totalUnits).toBe(7);
    const yamada = register.holders.find((holder) => holder.userId === hanako.id)!;
    expect(yamada.walletAddress).toBe("0x1111111111111111111111111111111111111111");
    expect(yamada.acquisitions.map((entry) => [entry.units, entry.orderSeq !== null, entry.amountYen])).toEqual([
      [10, true, 10_000],
      [-4, false, null],
    ]);
  });

  it("exports CSV in UTF-8 with BOM that parses back into the expected rows, Japanese names intact", async () => {
    const csv = registerCsv(await getRegister(offeringId, T("2026-11-07T00:00:00Z")), "ja", translator("ja"));
    const bytes = Buffer.from(csv, "utf8");
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder("utf-8", { ignoreBOM: false }).decode(bytes);
    expect(text.endsWith("\r\n")).toBe(true);
    const rows = parseCsv(text);
    expect(rows[0]).toEqual(["番号", "氏名", "フリガナ", "生年月日", "郵便番号", "住所", "電話番号", "メールアドレス", "ウォレットアドレス", "保有数量", "初回取得日", "取得履歴"]);
    expect(rows.slice(1)).toEqual([
      ["1", `'=HYPERLINK("http://evil") 髙橋`, "タカハシ ツヨシ", "1990-04-01", "707-0503", "岡山県英田郡西森村影石33-1", "0868792111", tricky.email, "", "1", "2026-11-06", "2026-11-06 +1"],
      ["2", "西森 太郎", "ニシモリ タロウ", "1990-04-01", "707-0503", '岡山県英田郡西森村大字坂根1番地, 森の家"A"棟', "0868792111", taro.email, "", "5", "2026-11-05", "2026-11-05 +5"],
      [
        "3",
        "山田 花子",
        "ヤマダ ハナコ",
        "1990-04-01",
        "707-0503",
        "岡山県英田郡西森村影石33-1",
        "0868792111",
        hanako.email,
        "0x1111111111111111111111111111111111111111",
        "10",
        "2026-11-01",
        expect.stringMatching(/^2026-11-01 \+10 \(#\d+\)$/),
      ],
    ]);
  });

  it("neutralises spreadsheet formulas in text cells but leaves numbers alone", () => {
    expect(csvCell("=1+1")).toBe("'=1+1");
    expect(csvCell("+81 90")).toBe("'+81 90");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell(-4)).toBe("-4");
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("line\nbreak")).toBe('"line\nbreak"');
  });

  it("serves the export to staff only, as an attachment, and audits it", async () => {
    as.user = staff;
    as.locale = "en";
    const response = await exportRoute(new Request(`http://localhost/staff/register/export?offering=${offeringId}&at=2026-11-07T09:00`));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="register-${DEMO_OFFERING_SLUG}-20261107-0900.csv"`);
    const rows = parseCsv(new TextDecoder().decode(await response.arrayBuffer()));
    expect(rows[0]![1]).toBe("Name");
    expect(rows).toHaveLength(4);
    expect(rows[3]![5]).toBe("Okayama 英田郡西森村 影石33-1");
    expect((await exportRoute(new Request("http://localhost/staff/register/export?at=yesterday"))).status).toBe(400);
    const [entry] = await getDb().select().from(auditLog).where(eq(auditLog.action, "register.exported"));
    expect(entry).toMatchObject({ actorId: staff.id, targetId: offeringId, detail: { asOf: "2026-11-07T00:00:00.000Z", holders: 3 } });
    as.locale = "ja";
  });

  it("lets staff make a demo holder in demo mode", async () => {
    const newcomer = await makeUser();
    as.user = staff;
    const post = (body: unknown, type = "application/json") =>
      demoRoute(new Request("http://localhost/staff/register/demo-holding", { method: "POST", headers: { "content-type": type }, body: JSON.stringify(body) }));
    expect((await post({ email: newcomer.email, units: 3 }, "text/plain")).status).toBe(415);
    expect((await post({ email: newcomer.email, units: -3 })).status).toBe(400);
    expect((await post({ email: "nobody@example.jp", units: 3 })).status).toBe(404);
    expect((await post({ email: newcomer.email, units: 3 })).status).toBe(200);
    const holders = (await getRegister(offeringId, new Date())).holders;
    expect(holders.find((holder) => holder.userId === newcomer.id)?.units).toBe(3);
  });
});

describe("the audit log search", () => {
  it("filters by actor, action and Tokyo dates, newest first, with paging", async () => {
    const db = getDb();
    const other = await makeUser("staff");
    await db.insert(auditLog).values([
      { actorId: staff.id, action: "project.created", at: T("2026-11-20T14:59:00Z") }, // 23:59 on the 20th in Tokyo
      { actorId: staff.id, action: "project.published", at: T("2026-11-20T15:00:00Z") }, // 00:00 on the 21st
      { actorId: other.id, action: "spending.recorded", at: T("2026-11-21T03:00:00Z") },
      { actorId: null, action: "wallet.created", at: T("2026-11-21T04:00:00Z") },
    ]);
    // As an admin, who reads every entry (the scoping by issuer is tested in test/actions/issuer-scope.test.ts).
    const everything = { userId: staff.id, all: true, issuerIds: [] };
    const actions = async (params: Record<string, string>) => (await searchAuditLog(auditQuery(params).filter, everything)).entries.map(({ entry }) => entry.action);
    expect(await actions({ from: "2026-11-20", to: "2026-11-20" })).toEqual(["project.created"]);
    expect(await actions({ from: "2026-11-21", to: "2026-11-21" })).toEqual(["wallet.created", "spending.recorded", "project.published"]);
    expect(await actions({ from: "2026-11-21", to: "2026-11-21", actor: staff.email.slice(0, 12) })).toEqual(["project.published"]);
    expect(await actions({ from: "2026-11-20", to: "2026-11-21", action: "project." })).toEqual(["project.published", "project.created"]);
    expect(await actions({ from: "2026-11-20", to: "2026-11-21", action: "project.created" })).toEqual(["project.created"]);
    expect(await actions({ from: "2026-11-21", actor: "system" })).toContain("wallet.created");
    expect(await actions({ from: "2026-11-21", actor: "%" })).toEqual([]);
    expect(await actions({ from: "not a date", action: "DROP TABLE" })).toContain("project.created");

    const first = await searchAuditLog({ from: T("2026-11-20T00:00:00Z"), to: T("2026-11-22T00:00:00Z") }, everything, 2);
    expect(first.entries).toHaveLength(2);
    const second = await searchAuditLog({ from: T("2026-11-20T00:00:00Z"), to: T("2026-11-22T00:00:00Z"), before: first.nextBefore! }, everything, 2);
    expect(second.entries.map(({ entry }) => entry.action)).toEqual(["project.published", "project.created"]);
    await expect(recordAudit(db, { actorId: staff.id, action: "register.exported" }).then(() => db.delete(auditLog))).rejects.toThrow();
  });
});
