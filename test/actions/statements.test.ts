import { beforeAll, describe, expect, it } from "vitest";
import { as } from "../session-mock";
import { makeUser } from "../fixtures";
import { pdfText } from "../pdf-text";
import { buildWorld, type World } from "../statements-world";
import { GET as noticeRoute } from "@/app/(investor)/account/income/notices/[paymentId]/pdf/route";
import { GET as yearCsvRoute } from "@/app/(investor)/account/income/statements/[year]/csv/route";
import { GET as yearPdfRoute } from "@/app/(investor)/account/income/statements/[year]/pdf/route";
import { translator } from "@/lib/i18n/catalog";
import { yearCsv } from "@/lib/statements/year-csv";
import { yearStatement } from "@/lib/statements/year-statement";

let world: World;

beforeAll(async () => {
  world = await buildWorld();
  as.locale = "ja";
});

const notice = (paymentId: string, query = "") => noticeRoute(new Request(`http://localhost/account/income/notices/${paymentId}/pdf${query}`), { params: Promise.resolve({ paymentId }) });
const statement = (route: typeof yearPdfRoute, year: string, query = "") => route(new Request(`http://localhost/account/income/statements/${year}/x${query}`), { params: Promise.resolve({ year }) });

function expectNotoPdf(pdf: Buffer) {
  expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  expect(pdf.toString("latin1")).toMatch(/\/FontName \/[A-Z]{6}\+NotoSansJP-Regular/);
  expect(pdf.toString("latin1")).toContain("/FontFile2");
  // Only the glyphs used are embedded: far smaller than the 5 MB font file.
  expect(pdf.length).toBeLessThan(200_000);
}

describe("payment notice route", () => {
  it("gives the owner the notice as a PDF in Japanese with Noto Sans JP, as an attachment", async () => {
    as.user = world.hanako;
    const response = await notice(world.payments.p3.id);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="payment-notice-stmt-bond-[A-Za-z0-9-]+-3-2026-09-30\.pdf"$/);
    const pdf = Buffer.from(await response.arrayBuffer());
    expectNotoPdf(pdf);
    const text = pdfText(pdf);
    for (const expected of [
      "支払通知書",
      "山田 花子 様",
      "〒707-0503",
      "岡山県英田郡西森村影石33-1",
      "西森村",
      "西森村ミニ公募債",
      "年0.45%",
      "¥2,767",
      "¥423",
      "¥138",
      "¥2,206",
      "¥1,230,000",
      "¥1,232,206",
      "****567",
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain("1234567");
    const english = pdfText(Buffer.from(await (await notice(world.payments.p3.id, "?lang=en")).arrayBuffer()));
    for (const expected of ["Payment notice", "Net interest", "¥2,206", "Ordinary ****567"]) expect(english).toContain(expected);
  });

  it("is not found for another investor, a payment of a run not yet approved, an unknown or malformed id; refused when signed out", async () => {
    as.user = world.taro;
    expect((await notice(world.payments.p3.id)).status).toBe(404);
    expect((await notice(world.payments.p2c.id)).status).toBe(404);
    as.user = await makeUser("staff");
    expect((await notice(world.payments.p3.id)).status).toBe(404);
    as.user = world.hanako;
    expect((await notice(world.payments.prepared.id)).status).toBe(404);
    expect((await notice(world.payments.cancelled.id)).status).toBe(404);
    expect((await notice("00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await notice("../../etc")).status).toBe(404);
    as.user = null;
    expect((await notice(world.payments.p3.id)).status).toBe(401);
  });
});

describe("year statement routes", () => {
  it("PDF: the owner's year in Japanese, with the year's coupon totals", async () => {
    as.user = world.hanako;
    const response = await statement(yearPdfRoute, "2026");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="statement-2026.pdf"');
    const pdf = Buffer.from(await response.arrayBuffer());
    expectNotoPdf(pdf);
    const text = pdfText(pdf);
    for (const expected of ["年間取引報告書", "山田 花子", "2026年1月1日", "森のトークン", "¥7,000", "¥5,000", "¥5,534", "¥846", "¥276", "¥4,412", "¥1,230,000", "合計"])
      expect(text).toContain(expected);
    // Taro's purchase in 2026 (3 units, ¥3,000) is not in Hanako's statement.
    expect(text).not.toContain("¥3,000");
  });

  it("CSV: the same figures as the statement object, for the owner only", async () => {
    as.user = world.hanako;
    const response = await statement(yearCsvRoute, "2026");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="statement-2026.csv"');
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
    expect(text).toBe(yearCsv(await yearStatement(world.hanako.id, 2026), translator("ja"), "ja"));
    expect(text).toContain("利子合計,,,,,5534,846,276,4412,\r\n");
    as.user = world.taro;
    const taro = new TextDecoder().decode(await (await statement(yearCsvRoute, "2026")).arrayBuffer());
    expect(taro).toContain("購入,2026-05-01,森のトークン,3,3000");
    expect(taro).not.toContain("購入,2026-01-01");
    expect(taro).not.toContain("返金,");
  });

  it("refuses years outside 2020 to this year and anything but four digits; signed out is 401", async () => {
    as.user = world.hanako;
    const next = String(new Date().getUTCFullYear() + 2);
    for (const year of ["2019", next, "26", "abcd", "2026.pdf"]) {
      expect((await statement(yearPdfRoute, year)).status, year).toBe(404);
      expect((await statement(yearCsvRoute, year)).status, year).toBe(404);
    }
    expect((await statement(yearCsvRoute, "2020")).status).toBe(200);
    as.user = null;
    expect((await statement(yearPdfRoute, "2026")).status).toBe(401);
  });
});
