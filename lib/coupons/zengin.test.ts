import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { parseZenginFile, RECORD_BYTES, writeZenginFile, ZenginFormatError, type ZenginHeader, type ZenginTransfer } from "./zengin";
import { fitZengin, toZenginKana } from "./zengin-kana";

const kana = (value: string) => {
  const result = toZenginKana(value);
  if (!result.ok) throw new Error(`not convertible: ${result.invalid.join("")}`);
  return result.value;
};

describe("half-width kana for Zengin files", () => {
  it("splits voiced kana, enlarges small kana, turns long vowels into hyphens and spaces into one", () => {
    expect(kana("ヤマダ　ハナコ")).toBe("ﾔﾏﾀﾞ ﾊﾅｺ");
    expect(kana("パーキンソン ジョー")).toBe("ﾊﾟ-ｷﾝｿﾝ ｼﾞﾖ-");
    expect(kana("キャッシュ")).toBe("ｷﾔﾂｼﾕ");
    expect(kana("ヴィヴァルディ")).toBe("ｳﾞｲｳﾞｱﾙﾃﾞｲ");
    expect(kana("ヲ ヰ ヱ ヵ ヶ ヮ")).toBe("ｦ ｲ ｴ ｶ ｹ ﾜ");
    // Already half-width, hiragana and full-width letters all land on the same text.
    expect(kana("ﾔﾏﾀﾞ ﾊﾅｺ")).toBe("ﾔﾏﾀﾞ ﾊﾅｺ");
    expect(kana("やまだ　はなこ")).toBe("ﾔﾏﾀﾞ ﾊﾅｺ");
    expect(kana("ｶ)ﾓﾘﾉﾑﾗ")).toBe("ｶ)ﾓﾘﾉﾑﾗ");
    expect(kana("ＡＢＣ　ｘｙｚ　１２３（カ）")).toBe("ABC XYZ 123(ｶ)");
    // The zengin-code list writes MUFG with a full-width minus.
    expect(kana("ミツビシユ－エフジエイ")).toBe("ﾐﾂﾋﾞｼﾕ-ｴﾌｼﾞｴｲ");
  });

  it("refuses what has no half-width form, naming the characters", () => {
    expect(toZenginKana("山田 ハナコ")).toEqual({ ok: false, invalid: ["山", "田"] });
    expect(toZenginKana("ハナコ♪")).toEqual({ ok: false, invalid: ["♪"] });
  });

  it("cuts a name at the field's length", () => {
    expect(fitZengin("ｱｲｳｴｵ ｶｷｸ", 6)).toBe("ｱｲｳｴｵ");
    expect(fitZengin("ｱｲｳ", 15)).toBe("ｱｲｳ");
  });
});

const HEADER: ZenginHeader = {
  requesterCode: "1234567890",
  requesterName: "ﾆｼﾓﾘﾑﾗ",
  transferDate: "0601",
  bankCode: "0001",
  bankName: "ﾐｽﾞﾎ",
  branchCode: "110",
  branchName: "ﾄｳｷﾖｳｴｲｷﾞﾖｳﾌﾞ",
  accountType: "1",
  accountNumber: "0123456",
};

const TRANSFERS: ZenginTransfer[] = [
  { bankCode: "0005", bankName: "ﾐﾂﾋﾞｼﾕ-ｴﾌｼﾞｴｲ", branchCode: "001", branchName: "ﾎﾝﾃﾝ", accountType: "1", accountNumber: "7654321", recipientName: "ﾔﾏﾀﾞ ﾊﾅｺ", amountYen: 17 },
  { bankCode: "9900", bankName: "ﾕｳﾁﾖ", branchCode: "108", branchName: "ｾﾞﾛﾊﾁ", accountType: "4", accountNumber: "1111111", recipientName: "ｽｽﾞｷ ｲﾁﾛｳ", amountYen: 1_002_345 },
];

describe("the Zengin general-transfer file", () => {
  it("writes 120-byte Shift_JIS records with CR LF and reads every field back", () => {
    const file = writeZenginFile(HEADER, TRANSFERS);
    expect(file.length).toBe(5 * (RECORD_BYTES + 2));
    const parsed = parseZenginFile(file);
    for (const record of parsed.raw) expect(record.length).toBe(RECORD_BYTES);
    expect(parsed.header).toEqual({ dataKind: "1", typeCode: "21", codeDivision: "0", ...HEADER, dummy: "" });
    expect(parsed.records).toEqual(
      TRANSFERS.map(({ amountYen, ...transfer }) => ({
        dataKind: "2",
        ...transfer,
        clearingHouse: "",
        amount: String(amountYen).padStart(10, "0"),
        newCode: "0",
        customerCode1: "",
        customerCode2: "",
        transferKind: "7",
        ediFlag: "",
        dummy: "",
      })),
    );
    expect(parsed.trailer).toEqual({ count: 2, totalYen: 1_002_362, dummy: "" });
    expect(parsed.end).toEqual({ dataKind: "9", dummy: "" });
  });

  it("puts each field at its place in the record (columns as the 全銀協 layout numbers them)", () => {
    const file = writeZenginFile(HEADER, TRANSFERS.slice(0, 1));
    const [header, data, trailer, end] = iconv.decode(file, "Shift_JIS").split("\r\n");
    expect(header!.slice(0, 4)).toBe("1210");
    expect(header!.slice(4, 14)).toBe("1234567890");
    expect(header!.slice(54, 58)).toBe("0601");
    expect(header!.slice(58, 62)).toBe("0001");
    expect(header!.slice(77, 80)).toBe("110");
    expect(header!.slice(95, 103)).toBe("10123456");
    expect(data!.slice(0, 5)).toBe("20005");
    expect(data!.slice(20, 23)).toBe("001");
    expect(data!.slice(38, 42)).toBe("    ");
    expect(data!.slice(42, 50)).toBe("17654321");
    expect(data!.slice(50, 80)).toBe("ﾔﾏﾀﾞ ﾊﾅｺ".padEnd(30, " "));
    expect(data!.slice(80, 91)).toBe("00000000170");
    expect(data!.slice(111, 112)).toBe("7");
    expect(trailer).toBe(`8000001000000000017${" ".repeat(101)}`);
    expect(end).toBe(`9${" ".repeat(119)}`);
    // Half-width kana are one byte each in Shift_JIS (0xA1–0xDF), so characters are bytes.
    expect(file.subarray(RECORD_BYTES + 2 + 50, RECORD_BYTES + 2 + 54)).toEqual(Buffer.from([0xd4, 0xcf, 0xc0, 0xde]));
  });

  it("refuses values a field cannot hold instead of cutting them", () => {
    expect(() => writeZenginFile(HEADER, [{ ...TRANSFERS[0]!, recipientName: "ヤマダ" }])).toThrow(ZenginFormatError);
    expect(() => writeZenginFile(HEADER, [{ ...TRANSFERS[0]!, recipientName: "ﾔ".repeat(31) }])).toThrow(ZenginFormatError);
    expect(() => writeZenginFile(HEADER, [{ ...TRANSFERS[0]!, amountYen: 10_000_000_000 }])).toThrow(ZenginFormatError);
    expect(() => writeZenginFile(HEADER, [{ ...TRANSFERS[0]!, amountYen: 0 }])).toThrow(ZenginFormatError);
    expect(() => writeZenginFile({ ...HEADER, requesterCode: "12345678901" }, TRANSFERS)).toThrow(ZenginFormatError);
  });

  it("the parser rejects a damaged file: wrong lengths, kinds or sums", () => {
    const file = writeZenginFile(HEADER, TRANSFERS);
    expect(() => parseZenginFile(file.subarray(0, file.length - 1))).toThrow(ZenginFormatError);
    const tampered = Buffer.from(file);
    tampered.write("0", RECORD_BYTES + 2 + 89, "latin1"); // the first amount's last digit
    expect(() => parseZenginFile(tampered)).toThrow(/trailer total/);
    const reordered = Buffer.concat([file.subarray(RECORD_BYTES + 2, 2 * (RECORD_BYTES + 2)), file.subarray(0, RECORD_BYTES + 2), file.subarray(2 * (RECORD_BYTES + 2))]);
    expect(() => parseZenginFile(reordered)).toThrow(/record kinds/);
  });
});
