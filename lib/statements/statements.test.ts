import { beforeAll, describe, expect, it } from "vitest";
import { translator } from "@/lib/i18n/catalog";
import { findBank, findBranch } from "@/lib/payouts/banks";
import { buildWorld, COUPON, PRINCIPAL_YEN, type World } from "@/test/statements-world";
import { noticeFor } from "./notice";
import { noticeLines } from "./notice-pdf";
import { makeUser } from "@/test/fixtures";
import { hasBondIncome, incomeHistory, incomeLines, type PaymentRow } from "./queries";
import { yearCsv } from "./year-csv";
import { parseStatementYear, statementYears, yearBounds, yearStatement } from "./year-statement";

let world: World;

beforeAll(async () => {
  world = await buildWorld();
});

const NOW = new Date("2026-12-01T03:00:00Z");

function row(id: string, over: Partial<PaymentRow> = {}): PaymentRow {
  return {
    id,
    carriedFromId: null,
    status: "paid",
    ...COUPON,
    principalYen: 0,
    bankAccountId: null,
    markedAt: null,
    runId: `run-${id}`,
    runStatus: "paid",
    paymentDate: "2026-03-31",
    paymentNumber: 1,
    runKind: "coupon",
    offeringId: "bond",
    slug: "bond",
    nameJa: "債",
    nameEn: "Bond",
    ...over,
  };
}

describe("coupon history lines", () => {
  it("say each status in plain terms: paid on the date, in the file, waiting for an account, failed", () => {
    const lines = incomeLines([
      row("a", { status: "paid", paymentDate: "2025-09-30" }),
      row("b", { status: "in_file", paymentDate: "2025-10-30" }),
      row("c", { status: "waiting_account", paymentDate: "2025-11-30" }),
      row("d", { status: "failed", paymentDate: "2025-12-30" }),
    ]);
    expect(lines.map((line) => [line.paymentId, line.status])).toEqual([
      ["d", { kind: "failed" }],
      ["c", { kind: "waiting_account" }],
      ["b", { kind: "in_file" }],
      ["a", { kind: "paid", on: "2025-09-30" }],
    ]);
  });

  it("show a carried payment once: with the carrier's status when its run is approved, else as carried into the carrier's date", () => {
    const failed = row("old", { status: "carried", paymentDate: "2026-03-31" });
    const approved = incomeLines([failed, row("new", { status: "in_file", carriedFromId: "old", runStatus: "approved", paymentDate: "2026-09-30", paymentNumber: 2 })]);
    expect(approved).toHaveLength(1);
    expect(approved[0]).toMatchObject({ paymentId: "new", originId: "old", dueDate: "2026-03-31", carriedTo: "2026-09-30", paymentNumber: 1, status: { kind: "in_file" } });
    const prepared = incomeLines([failed, row("new", { status: "in_file", carriedFromId: "old", runStatus: "prepared", paymentDate: "2026-09-30" })]);
    expect(prepared).toHaveLength(1);
    expect(prepared[0]).toMatchObject({ paymentId: "old", carriedTo: null, status: { kind: "carried", into: "2026-09-30" } });
    const notYet = incomeLines([failed]);
    expect(notYet[0]!.status).toEqual({ kind: "carried", into: null });
    // Carried twice: still one line, the last carrier's figures.
    const twice = incomeLines([
      failed,
      row("mid", { status: "carried", carriedFromId: "old", paymentDate: "2026-09-30" }),
      row("last", { status: "paid", carriedFromId: "mid", paymentDate: "2027-03-31", grossYen: 2_767 }),
    ]);
    expect(twice.map((line) => [line.paymentId, line.carriedTo, line.status])).toEqual([["last", "2027-03-31", { kind: "paid", on: "2027-03-31" }]]);
  });

  it("hide prepared and cancelled runs", () => {
    expect(incomeLines([row("p", { runStatus: "prepared" }), row("c", { runStatus: "cancelled" })])).toEqual([]);
  });

  it("from the database: only the investor's own payments, newest first, the carried one merged, hidden runs left out", async () => {
    const lines = await incomeHistory(world.hanako.id);
    const { p1, p2, p2c, p3 } = world.payments;
    expect(lines.map((line) => [line.paymentId, line.paymentNumber, line.dueDate, line.carriedTo, line.status])).toEqual([
      [p3.id, 3, "2026-09-30", null, { kind: "paid", on: "2026-09-30" }],
      [p2c.id, 2, "2026-03-31", "2026-09-30", { kind: "paid", on: "2026-09-30" }],
      [p1.id, 1, "2025-09-30", null, { kind: "paid", on: "2025-09-30" }],
    ]);
    expect(lines[1]!.originId).toBe(p2.id);
    expect(lines[0]).toMatchObject({ runKind: "final", principalYen: PRINCIPAL_YEN, grossYen: COUPON.grossYen, netYen: COUPON.netYen });
    const ids = lines.flatMap((line) => [line.paymentId, line.originId]);
    expect(ids).not.toContain(world.payments.prepared.id);
    expect(ids).not.toContain(world.payments.cancelled.id);
    expect(ids).not.toContain(world.payments.taroPaid.id);
    const taro = await incomeHistory(world.taro.id);
    expect(taro).toHaveLength(3);
    expect(taro.map((line) => line.paymentId)).toContain(world.payments.taroPaid.id);
  });

  it("tell the dashboard who holds or held a bond", async () => {
    expect(await hasBondIncome(world.hanako.id)).toBe(true);
    expect(await hasBondIncome((await makeUser()).id)).toBe(false);
  });
});

describe("the payment notice", () => {
  it("is the owner's only, for a shown run, with the period, rate, taxes and the masked account", async () => {
    const { p2c, prepared } = world.payments;
    expect(await noticeFor(world.taro.id, p2c.id)).toBeNull();
    expect(await noticeFor(world.hanako.id, prepared.id)).toBeNull();
    expect(await noticeFor(world.hanako.id, "not-a-uuid")).toBeNull();
    const notice = (await noticeFor(world.hanako.id, p2c.id))!;
    expect(notice).toMatchObject({ paymentNumber: 2, paymentDate: "2026-09-30", dueDate: "2026-03-31", period: { from: "2025-09-30", to: "2026-03-31", days: 182 }, couponRateBp: 45 });
    const [bank, branch] = [await findBank("0001"), await findBranch("0001", "110")];
    const lines = Object.fromEntries(noticeLines(notice, translator("ja"), "ja").map((line) => [line.label, line.value]));
    expect(lines).toMatchObject({
      発行者: "西森村",
      銘柄: "西森村ミニ公募債",
      回次: "第2回",
      支払日: "2026年9月30日",
      当初の支払日: "2026年3月31日",
      利子計算期間: "2025年9月30日〜2026年3月31日（182日）",
      利率: "年0.45%",
      保有口数: "123口",
      額面金額: "¥1,230,000",
      "利子額（税引前）": "¥2,767",
      "所得税及び復興特別所得税（15.315%）": "¥423",
      "住民税（5%）": "¥138",
      差引利子額: "¥2,206",
      振込先: `${bank!.name} (0001) ${branch!.name} (110) 普通 ****567`,
      状況: "2026年9月30日に振り込みました",
    });
    expect(notice.holder).toEqual({ name: "山田 花子", postalCode: "707-0503", address: "岡山県英田郡西森村影石33-1" });
    const final = Object.fromEntries(noticeLines((await noticeFor(world.hanako.id, world.payments.p3.id))!, translator("ja"), "ja").map((line) => [line.label, line.value]));
    expect(final).toMatchObject({ 回次: "第3回 最終回（償還）", 償還金: "¥1,230,000", お支払額: "¥1,232,206" });
  });
});

describe("the year's statement", () => {
  it("accepts the years 2020 to this year (Tokyo) as four digits only", () => {
    expect(parseStatementYear("2019", NOW)).toBeNull();
    expect(parseStatementYear("2020", NOW)).toBe(2020);
    expect(parseStatementYear("2026", NOW)).toBe(2026);
    expect(parseStatementYear("2027", NOW)).toBeNull();
    expect(parseStatementYear("2027", new Date("2026-12-31T15:00:00Z"))).toBe(2027);
    for (const bad of ["26", "02026", "2026a", " 2026", ""]) expect(parseStatementYear(bad, NOW)).toBeNull();
    expect(yearBounds(2026)).toEqual({ from: new Date("2025-12-31T15:00:00Z"), to: new Date("2026-12-31T15:00:00Z") });
  });

  it("offers the years with activity and this year", async () => {
    expect(await statementYears(world.hanako.id, NOW)).toEqual([2026, 2025]);
    expect(await statementYears(world.hanako.id, new Date("2028-06-01T00:00:00Z"))).toEqual([2028, 2026, 2025]);
  });

  it("2026: a purchase at 00:10 on 1 January, a refund, two coupons, the redemption, holdings at year end; totals exact", async () => {
    const s = await yearStatement(world.hanako.id, 2026);
    const { token, bond } = world;
    expect(s.purchases).toEqual([{ offeringId: token.id, nameJa: "森のトークン", nameEn: "Forest Token", date: "2026-01-01", units: 7, yen: 7_000 }]);
    expect(s.refunds).toEqual([{ offeringId: token.id, nameJa: "森のトークン", nameEn: "Forest Token", date: "2026-02-10", yen: 5_000 }]);
    expect(s.coupons).toHaveLength(2);
    for (const coupon of s.coupons) expect(coupon).toMatchObject({ offeringId: bond.id, date: "2026-09-30", ...COUPON });
    // Both paid on the final date: the one carried from payment 2 is listed as owed for payment 2.
    expect(s.coupons.map((coupon) => coupon.paymentNumber).sort()).toEqual([2, 3]);
    expect(s.redemptions).toEqual([{ offeringId: bond.id, nameJa: "西森村ミニ公募債", nameEn: "Nishimori Mini Bond", date: "2026-09-30", paymentNumber: 3, units: 123, principalYen: PRINCIPAL_YEN }]);
    expect(s.holdings).toEqual([{ offeringId: token.id, nameJa: "森のトークン", nameEn: "Forest Token", units: 7, faceValueYen: null }]);
    expect(s.totals).toEqual({ purchasesYen: 7_000, refundsYen: 5_000, grossYen: 5_534, nationalTaxYen: 846, localTaxYen: 276, netYen: 4_412, principalYen: PRINCIPAL_YEN });
    expect(s.totals.grossYen).toBe(s.totals.netYen + s.totals.nationalTaxYen + s.totals.localTaxYen);
    expect(s.holder.name).toBe("山田 花子");
  });

  it("2025: the purchase at 23:30 on 31 December counts in 2025; the first coupon; holdings of both at year end", async () => {
    const s = await yearStatement(world.hanako.id, 2025);
    expect(s.purchases.map((row) => [row.date, row.nameJa, row.units, row.yen])).toEqual([
      ["2025-03-20", "西森村ミニ公募債", 123, 1_230_000],
      ["2025-12-31", "森のトークン", 5, 5_000],
    ]);
    expect(s.refunds).toEqual([]);
    expect(s.coupons.map((row) => [row.date, row.paymentNumber, row.netYen])).toEqual([["2025-09-30", 1, 2_206]]);
    expect(s.redemptions).toEqual([]);
    expect(s.holdings.map((row) => [row.nameJa, row.units, row.faceValueYen])).toEqual([
      ["森のトークン", 5, null],
      ["西森村ミニ公募債", 123, 1_230_000],
    ]);
    expect(s.totals).toMatchObject({ purchasesYen: 1_235_000, grossYen: 2_767, nationalTaxYen: 423, localTaxYen: 138, netYen: 2_206, principalYen: 0 });
    // Another year is empty; another investor's figures are theirs.
    expect((await yearStatement(world.hanako.id, 2024)).purchases).toEqual([]);
    expect((await yearStatement(world.taro.id, 2026)).purchases.map((row) => row.units)).toEqual([3]);
  });

  it("CSV: BOM, CRLF, a header, one line per figure with its section, the same figures as the statement", async () => {
    const s = await yearStatement(world.hanako.id, 2026);
    const csv = yearCsv(s, translator("ja"), "ja");
    expect(csv.startsWith("\uFEFF区分,日付,銘柄,口数,金額,利子（税引前）,所得税及び復興特別所得税,住民税,差引利子額,償還金\r\n")).toBe(true);
    expect(csv.endsWith("\r\n")).toBe(true);
    const rows = csv
      .slice(1)
      .split("\r\n")
      .filter(Boolean)
      .slice(1)
      .map((line) => line.split(","));
    expect(rows.every((cells) => cells.length === 10)).toBe(true);
    const section = (name: string) => rows.filter((cells) => cells[0] === name);
    expect(section("購入")).toEqual(s.purchases.map((row) => ["購入", row.date, row.nameJa, String(row.units), String(row.yen), "", "", "", "", ""]));
    expect(section("返金")).toEqual(s.refunds.map((row) => ["返金", row.date, row.nameJa, "", String(row.yen), "", "", "", "", ""]));
    expect(section("利子")).toEqual(
      s.coupons.map((row) => ["利子", row.date, row.nameJa, String(row.units), "", String(row.grossYen), String(row.nationalTaxYen), String(row.localTaxYen), String(row.netYen), ""]),
    );
    expect(section("償還")).toEqual(s.redemptions.map((row) => ["償還", row.date, row.nameJa, String(row.units), "", "", "", "", "", String(row.principalYen)]));
    expect(section("年末残高")).toEqual([["年末残高", "2026-12-31", "森のトークン", "7", "", "", "", "", "", ""]]);
    expect(section("利子合計")).toEqual([["利子合計", "", "", "", "", "5534", "846", "276", "4412", ""]]);
    expect(section("償還合計")).toEqual([["償還合計", "", "", "", "", "", "", "", "", "1230000"]]);
    expect(section("購入合計")[0]![4]).toBe("7000");
    expect(section("返金合計")[0]![4]).toBe("5000");
    expect(yearCsv(s, translator("en"), "en").split("\r\n")[0]).toBe("\uFEFFSection,Date,Offering,Units,Amount,Interest before tax,Income tax,Local tax,Net interest,Principal");
  });
});
