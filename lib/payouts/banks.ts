import "server-only";
import type zengin from "zengin-code";

/**
 * The official bank and branch codes from npm's zengin-code (about 5 MB of data): loaded on first
 * use, once per process, and only on the server; pages get at most a page of matches.
 */

export type Bank = { code: string; name: string; kana: string };
export type Branch = Bank;

type Indexed = Bank & { search: string };
type BankData = { bank: Indexed; branches: Map<string, Indexed> };

const MAX_MATCHES = 20;

let loading: Promise<Map<string, BankData>> | null = null;

/** Lower-cased NFKC with hiragana as katakana, small kana large and dashes one mark, as the list writes kana. */
function fold(value: string): string {
  return value
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\u3041-\u3096]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0x60))
    .replace(/[ァィゥェォッャュョヮ]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 1))
    .replace(/[ー‐−―ｰ-]/g, "-")
    .replace(/\s+/g, "");
}

/** People type the full form the list abbreviates ("みずほ銀行" for "みずほ", "信用金庫" for "信金"). */
function foldQuery(query: string): string {
  return fold(query)
    .replace(/信用金庫/g, "信金")
    .replace(/信用組合/g, "信組")
    .replace(/農業協同組合/g, "農協")
    .replace(/(銀行|ギンコウ|支店|シテン)$/u, "");
}

function indexed(entry: { code: string; name: string; kana: string; hira: string; roma: string }): Indexed {
  return { code: entry.code, name: entry.name, kana: entry.kana, search: [entry.name, entry.kana, entry.roma].map(fold).join("\n") };
}

function load(raw: typeof zengin): Map<string, BankData> {
  // Codes such as "1001" are integer-like keys, which JavaScript enumerates first: sort by code.
  const byCode = <T extends { code: string }>(entries: T[]) => entries.sort((a, b) => a.code.localeCompare(b.code));
  const banks = new Map<string, BankData>();
  for (const entry of byCode(Object.values(raw))) {
    banks.set(entry.code, { bank: indexed(entry), branches: new Map(byCode(Object.values(entry.branches)).map((branch) => [branch.code, indexed(branch)])) });
  }
  return banks;
}

function data(): Promise<Map<string, BankData>> {
  loading ??= import("zengin-code")
    .then((module) => load(module.default))
    .catch((error: unknown) => {
      loading = null;
      throw error;
    });
  return loading;
}

const plain = ({ code, name, kana }: Indexed): Bank => ({ code, name, kana });

/** Codes starting with the query first, then names or kana containing it, in code order. */
function search(entries: Iterable<Indexed>, query: string, limit: number): { matches: Bank[]; more: boolean } {
  const folded = foldQuery(query);
  if (!folded) return { matches: [], more: false };
  const byCode: Indexed[] = [];
  const byName: Indexed[] = [];
  for (const entry of entries) {
    if (/^[0-9]+$/.test(folded) && entry.code.startsWith(folded)) byCode.push(entry);
    else if (entry.search.includes(folded)) byName.push(entry);
  }
  const all = [...byCode, ...byName];
  return { matches: all.slice(0, limit).map(plain), more: all.length > limit };
}

export async function findBank(code: string): Promise<Bank | null> {
  const entry = (await data()).get(code);
  return entry ? plain(entry.bank) : null;
}

export async function searchBanks(query: string, limit = MAX_MATCHES): Promise<{ matches: Bank[]; more: boolean }> {
  const banks = await data();
  return search(
    [...banks.values()].map((entry) => entry.bank),
    query,
    Math.min(limit, MAX_MATCHES),
  );
}

export async function findBranch(bankCode: string, branchCode: string): Promise<Branch | null> {
  const entry = (await data()).get(bankCode)?.branches.get(branchCode);
  return entry ? plain(entry) : null;
}

export async function searchBranches(bankCode: string, query: string, limit = MAX_MATCHES): Promise<{ matches: Branch[]; more: boolean }> {
  const bank = (await data()).get(bankCode);
  if (!bank) return { matches: [], more: false };
  return search(bank.branches.values(), query, Math.min(limit, MAX_MATCHES));
}
