import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { as, form, run } from "@/test/session-mock";
import { makeUser } from "@/test/fixtures";
import { makeOffering } from "@/test/chain-support";
import { pdfText } from "@/test/pdf-text";
import { getDb } from "@/db/client";
import { issuerStaff, offerings, settlementReports } from "@/db/schema";
import type { SessionUser } from "@/lib/auth/roles";
import { GET as csvRoute } from "@/app/(staff)/staff/offerings/[id]/settlement/csv/route";
import { GET as pdfRoute } from "@/app/(staff)/staff/offerings/[id]/settlement/pdf/route";
import { requestReportAction } from "@/app/(staff)/staff/offerings/[id]/settlement/actions";
import { reportForStaff } from "./access";
import type { Figures } from "./figures";

let offeringId: string;
let ownStaff: SessionUser;
let otherStaff: SessionUser;

function figures(id: string): Figures {
  return {
    format: 1,
    issuer: { id: "issuer", nameJa: "西森村", nameEn: "Nishimori Village", prefectureJa: "岡山県", prefectureEn: "Okayama" },
    offering: {
      id,
      slug: "forest",
      nameJa: "森のトークン",
      nameEn: "Forest Token",
      tokenSymbol: "FOR",
      priceYen: 1_234,
      capUnits: 1_000,
      opensAt: "2026-01-05T00:00:00.000Z",
      closesAt: "2026-03-31T08:00:00.000Z",
      closedAt: "2026-03-31T08:00:00.000Z",
      status: "closed",
      chainId: 31337,
      tokenAddress: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
    },
    sales: { paidOrders: 2, unitsSold: 8, refundedOrders: 1, unitsRefunded: 2, unitsAwaitingAllocation: 0, yenReceived: 12_340, yenRefunded: 2_468, paidOrdersYen: 9_872 },
    fees: { payments: 3, feeYen: 444, withoutProcessorRecord: 0 },
    netProceedsYen: 9_428,
    chain: { totalSupply: 8, allocatedUnits: 10, clawedBackUnits: 2, holders: 2, reconciliation: { status: "ok", supplyChain: 8, supplyDb: 8, holdersChecked: 3, mismatches: 0, error: null } },
    projects: [{ id: "p1", slug: "thinning", titleJa: "間伐事業", titleEn: "Forest thinning", budgetYen: 10_000, allocatedYen: 6_285, spentYen: 1_500, remainingYen: 4_785 }],
    unallocatedYen: 3_143,
    preparedBy: "treasurer@example.jp",
    preparedAt: "2026-03-31T09:00:00.000Z",
  };
}

async function staffOf(villageId: string) {
  const user = await makeUser("staff");
  await getDb().insert(issuerStaff).values({ issuerId: villageId, userId: user.id });
  return user;
}

beforeAll(async () => {
  const own = await makeOffering(getDb());
  const other = await makeOffering(getDb());
  offeringId = own.id;
  const villageOf = async (id: string) => (await getDb().select().from(offerings).where(eq(offerings.id, id)))[0]!.villageId;
  ownStaff = await staffOf(await villageOf(own.id));
  otherStaff = await staffOf(await villageOf(other.id));
  await getDb().update(offerings).set({ status: "closed", closedAt: new Date() }).where(eq(offerings.id, offeringId));
  await getDb()
    .insert(settlementReports)
    .values([
      { offeringId, version: 1, figures: { ...figures(offeringId), netProceedsYen: 1 }, createdBy: null },
      { offeringId, version: 2, figures: figures(offeringId), createdBy: ownStaff.id },
    ]);
});

const call = (route: typeof csvRoute, query = "", id = offeringId) => route(new Request(`http://localhost/staff/offerings/${id}/settlement/x${query}`), { params: Promise.resolve({ id }) });

describe("the report as CSV and PDF", () => {
  it("CSV: UTF-8 with a byte-order mark, the chosen version's figures as plain numbers", async () => {
    as.user = ownStaff;
    as.locale = "ja";
    const response = await call(csvRoute, "?v=2");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toContain("settlement-forest-v2.csv");
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
    expect(text.split("\r\n")[0]).toBe("\uFEFF精算報告書");
    for (const row of [
      "受領額,12340,円",
      "返金額,2468,円",
      "カード決済手数料（決済3件）,444,円",
      "手取り額（受領額 − 返金額 − 手数料）,9428,円",
      "ブロックチェーン上の発行残高,8,口",
      "保有者数,2,名",
      "間伐事業,10000,6285,1500,4785",
      "版,第2版",
      "作成者,treasurer@example.jp",
    ]) {
      expect(text).toContain(row);
    }
    // The latest version when none is named; an earlier one stays as it was frozen.
    expect(new TextDecoder().decode(await (await call(csvRoute)).arrayBuffer())).toContain("版,第2版");
    const first = new TextDecoder().decode(await (await call(csvRoute, "?v=1")).arrayBuffer());
    expect(first).toContain("手取り額（受領額 − 返金額 − 手数料）,1,円");
  });

  it("PDF: a PDF with Noto Sans JP embedded, its text the frozen figures, in Japanese and in English", async () => {
    as.user = ownStaff;
    const response = await call(pdfRoute, "?v=2&lang=ja");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    const pdf = Buffer.from(await response.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(pdf.toString("latin1")).toMatch(/\/FontName \/[A-Z]{6}\+NotoSansJP-Regular/);
    expect(pdf.toString("latin1")).toContain("/FontFile2");
    // Only the glyphs used are embedded: far smaller than the 5 MB font file.
    expect(pdf.length).toBeLessThan(200_000);
    const text = pdfText(pdf);
    for (const expected of [
      "精算報告書",
      "西森村（岡山県）",
      "第2版",
      "受領額",
      "¥12,340",
      "¥2,468",
      "カード決済手数料（決済3件）",
      "¥444",
      "¥9,428",
      "8口",
      "一致しました",
      "間伐事業",
      "¥6,285",
      "treasurer@example.jp",
    ]) {
      expect(text).toContain(expected);
    }
    const english = pdfText(Buffer.from(await (await call(pdfRoute, "?v=2&lang=en")).arrayBuffer()));
    for (const expected of ["Settlement report", "Net proceeds", "¥9,428", "Card fees (3 payments)", "Forest thinning"]) expect(english).toContain(expected);
  });

  it("is not found for staff of another issuer, for a version that does not exist or is malformed", async () => {
    as.user = otherStaff;
    expect((await call(csvRoute)).status).toBe(404);
    expect((await call(pdfRoute, "?lang=ja")).status).toBe(404);
    expect(await reportForStaff(otherStaff, offeringId, undefined)).toBeNull();
    as.user = ownStaff;
    expect((await call(csvRoute, "?v=3")).status).toBe(404);
    expect((await call(csvRoute, "?v=abc")).status).toBe(404);
    expect((await call(pdfRoute, "", "not-a-uuid")).status).toBe(404);
  });

  it("is refused to investors and to anyone signed out", async () => {
    as.user = await makeUser("investor");
    expect((await call(csvRoute)).status).toBe(403);
    as.user = null;
    expect((await call(pdfRoute)).status).toBe(401);
  });
});

describe("asking for a new version", () => {
  const jobs = async () => Number((await getDb().execute<{ n: string }>(sql`select count(*) as n from pgboss.job where name = 'offerings.settle' and data->>'offeringId' = ${offeringId}`))[0]!.n);

  it("queues the report job once for staff of the issuer, and nothing for others", async () => {
    as.user = otherStaff;
    expect(await run(requestReportAction, form({ offeringId }))).toMatchObject({ status: "error", message: "募集が見つかりません。" });
    expect(await jobs()).toBe(0);
    as.user = ownStaff;
    expect(await run(requestReportAction, form({ offeringId }))).toMatchObject({ status: "ok" });
    expect(await jobs()).toBe(1);
    expect(await run(requestReportAction, form({ offeringId }))).toMatchObject({ status: "error", message: "作成中の報告書があります。完了までお待ちください。" });
    expect(await jobs()).toBe(1);
  });

  it("is refused while the offering is open", async () => {
    const open = await makeOffering(getDb());
    const staff = await staffOf((await getDb().select().from(offerings).where(eq(offerings.id, open.id)))[0]!.villageId);
    as.user = staff;
    expect(await run(requestReportAction, form({ offeringId: open.id }))).toMatchObject({ status: "error", message: "終了した募集だけ報告書を作成できます。" });
  });
});
