import iconv from "iconv-lite";
import { ZENGIN_TEXT } from "./zengin-kana";

/**
 * The Zengin general-transfer file (全銀協 総合振込, 種別コード 21) a bank takes for a batch of
 * transfers: fixed records of 120 bytes in Shift_JIS (コード区分 0), a header (1), one data record
 * per transfer (2), a trailer with the count and total (8) and an end record (9). Every record is
 * followed by CR LF (the 122-byte form most banks' upload screens accept). "N" fields are digits,
 * right-aligned and zero-padded; "C" fields are half-width text (zengin-kana.ts), left-aligned and
 * space-padded. 手形交換所番号 is unused and left blank; 新規コード is 0; 振込指定区分 is 7 (電信).
 */

type Layout = readonly (readonly [name: string, length: number, kind: "N" | "C"])[];

const HEADER = [
  ["dataKind", 1, "N"],
  ["typeCode", 2, "N"],
  ["codeDivision", 1, "N"],
  ["requesterCode", 10, "N"],
  ["requesterName", 40, "C"],
  ["transferDate", 4, "N"],
  ["bankCode", 4, "N"],
  ["bankName", 15, "C"],
  ["branchCode", 3, "N"],
  ["branchName", 15, "C"],
  ["accountType", 1, "N"],
  ["accountNumber", 7, "N"],
  ["dummy", 17, "C"],
] as const satisfies Layout;

const DATA = [
  ["dataKind", 1, "N"],
  ["bankCode", 4, "N"],
  ["bankName", 15, "C"],
  ["branchCode", 3, "N"],
  ["branchName", 15, "C"],
  ["clearingHouse", 4, "C"],
  ["accountType", 1, "N"],
  ["accountNumber", 7, "N"],
  ["recipientName", 30, "C"],
  ["amount", 10, "N"],
  ["newCode", 1, "N"],
  ["customerCode1", 10, "C"],
  ["customerCode2", 10, "C"],
  ["transferKind", 1, "C"],
  ["ediFlag", 1, "C"],
  ["dummy", 7, "C"],
] as const satisfies Layout;

const TRAILER = [
  ["dataKind", 1, "N"],
  ["count", 6, "N"],
  ["total", 12, "N"],
  ["dummy", 101, "C"],
] as const satisfies Layout;

const END = [
  ["dataKind", 1, "N"],
  ["dummy", 119, "C"],
] as const satisfies Layout;

type Fields<L extends Layout> = Record<L[number][0], string>;

export const RECORD_BYTES = 120;
const CRLF = Buffer.from("\r\n", "latin1");

/** 1 普通, 2 当座, 4 貯蓄 (the recipient's); the requester's own account is 1 or 2. */
export const ACCOUNT_TYPE_CODE = { ordinary: "1", current: "2", savings: "4" } as const;

export type ZenginHeader = {
  requesterCode: string;
  requesterName: string;
  /** MMDD: the transfer date (the payment date). */
  transferDate: string;
  bankCode: string;
  bankName: string;
  branchCode: string;
  branchName: string;
  accountType: string;
  accountNumber: string;
};

export type ZenginTransfer = {
  bankCode: string;
  bankName: string;
  branchCode: string;
  branchName: string;
  accountType: string;
  accountNumber: string;
  recipientName: string;
  amountYen: number;
  customerCode1?: string;
  customerCode2?: string;
};

export class ZenginFormatError extends Error {}

function encodeRecord<L extends Layout>(layout: L, values: Fields<L>, where: string): Buffer {
  let text = "";
  for (const [name, length, kind] of layout) {
    const value = (values as Record<string, string>)[name] ?? "";
    const ok = kind === "N" ? /^[0-9]*$/.test(value) : ZENGIN_TEXT.test(value);
    if (!ok || value.length > length) throw new ZenginFormatError(`${where}: ${name} cannot hold ${JSON.stringify(value)}`);
    text += kind === "N" ? value.padStart(length, "0") : value.padEnd(length, " ");
  }
  const bytes = iconv.encode(text, "Shift_JIS");
  if (bytes.length !== RECORD_BYTES) throw new ZenginFormatError(`${where}: ${bytes.length} bytes`);
  return bytes;
}

/** The file for these transfers; throws ZenginFormatError for a value a field cannot hold. */
export function writeZenginFile(header: ZenginHeader, transfers: ZenginTransfer[]): Buffer {
  const total = transfers.reduce((sum, transfer) => sum + transfer.amountYen, 0);
  const records = [
    encodeRecord(HEADER, { ...header, dataKind: "1", typeCode: "21", codeDivision: "0", dummy: "" }, "header"),
    ...transfers.map((transfer, index) => {
      if (!Number.isSafeInteger(transfer.amountYen) || transfer.amountYen <= 0) throw new ZenginFormatError(`data ${index + 1}: amount ${transfer.amountYen}`);
      return encodeRecord(
        DATA,
        {
          ...transfer,
          dataKind: "2",
          clearingHouse: "",
          amount: String(transfer.amountYen),
          newCode: "0",
          customerCode1: transfer.customerCode1 ?? "",
          customerCode2: transfer.customerCode2 ?? "",
          transferKind: "7",
          ediFlag: "",
          dummy: "",
        },
        `data ${index + 1}`,
      );
    }),
    encodeRecord(TRAILER, { dataKind: "8", count: String(transfers.length), total: String(total), dummy: "" }, "trailer"),
    encodeRecord(END, { dataKind: "9", dummy: "" }, "end"),
  ];
  return Buffer.concat(records.flatMap((record) => [record, CRLF]));
}

function decodeRecord<L extends Layout>(layout: L, bytes: Buffer, where: string): Fields<L> {
  const fields: Record<string, string> = {};
  let at = 0;
  for (const [name, length, kind] of layout) {
    const raw = iconv.decode(bytes.subarray(at, at + length), "Shift_JIS");
    at += length;
    const ok = raw.length === length && (kind === "N" ? /^[0-9]+$/.test(raw) : ZENGIN_TEXT.test(raw));
    if (!ok) throw new ZenginFormatError(`${where}: ${name} is ${JSON.stringify(raw)}`);
    fields[name] = kind === "N" ? raw : raw.trimEnd();
  }
  return fields as Fields<L>;
}

export type ParsedZenginFile = {
  header: Fields<typeof HEADER>;
  records: Fields<typeof DATA>[];
  trailer: { count: number; totalYen: number; dummy: string };
  end: Fields<typeof END>;
  /** Each record's bytes without its CR LF. */
  raw: Buffer[];
};

/** Reads a file written as above back, checking every record's length, kind, fields and the trailer's sums. */
export function parseZenginFile(file: Buffer): ParsedZenginFile {
  const size = RECORD_BYTES + CRLF.length;
  if (file.length % size !== 0 || file.length < 3 * size) throw new ZenginFormatError(`file of ${file.length} bytes is not whole records`);
  const raw: Buffer[] = [];
  for (let at = 0; at < file.length; at += size) {
    if (!file.subarray(at + RECORD_BYTES, at + size).equals(CRLF)) throw new ZenginFormatError(`record ${raw.length + 1} does not end in CR LF`);
    raw.push(file.subarray(at, at + RECORD_BYTES));
  }
  const kinds = raw.map((record) => String.fromCharCode(record[0]!)).join("");
  if (!/^12*89$/.test(kinds)) throw new ZenginFormatError(`record kinds ${kinds}`);
  const header = decodeRecord(HEADER, raw[0]!, "header");
  if (header.typeCode !== "21" || header.codeDivision !== "0" || header.dummy !== "") throw new ZenginFormatError("header is not a general transfer");
  const records = raw.slice(1, -2).map((record, index) => decodeRecord(DATA, record, `data ${index + 1}`));
  const trailerFields = decodeRecord(TRAILER, raw.at(-2)!, "trailer");
  const trailer = { count: Number(trailerFields.count), totalYen: Number(trailerFields.total), dummy: trailerFields.dummy };
  const end = decodeRecord(END, raw.at(-1)!, "end");
  if (trailer.count !== records.length) throw new ZenginFormatError(`trailer counts ${trailer.count}, file has ${records.length}`);
  const total = records.reduce((sum, record) => sum + Number(record.amount), 0);
  if (trailer.totalYen !== total) throw new ZenginFormatError(`trailer total ${trailer.totalYen}, records sum to ${total}`);
  return { header, records, trailer, end, raw };
}

/** The file's name for a download: `zengin-<slug>-<payment date>.txt`. */
export function zenginFileName(slug: string, paymentDate: string): string {
  return `zengin-${slug}-${paymentDate}.txt`;
}
