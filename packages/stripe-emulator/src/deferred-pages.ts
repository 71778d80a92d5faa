/**
 * The hosted konbini voucher (`/vouchers/:pi`) and bank-transfer instructions (`/bank-transfers/:pi`) pages,
 * with test buttons: forms POST back to the page, which acts and then redirects to itself showing the new state.
 */
import type { ServerResponse } from "node:http";
import { receiveTransfer } from "./bank-transfer";
import { NO_REQUEST } from "./context";
import { escapeHtml, formatAmount, notice, page } from "./checkout-page";
import { customerExtra } from "./customers";
import { amountRemaining, deferredKind, konbiniExpire, konbiniPay, sweepKonbini } from "./deferred";
import { KONBINI_STORES, type KonbiniStore } from "./deferred-objects";
import type { Engine } from "./engine";
import { redirect, sendHtml } from "./http";
import type { Obj } from "./objects";
import { StripeApiError } from "./params";

const STORE_NAMES: Record<KonbiniStore, string> = {
  familymart: "ファミリーマート / FamilyMart",
  lawson: "ローソン / Lawson",
  ministop: "ミニストップ / Ministop",
  seicomart: "セイコーマート / Seicomart",
};
const STEP_YEN = 1000;

type PageKind = "vouchers" | "bank-transfers";

/** Keeps hosted URLs pointing at this run's public URL (the port may change between runs on one state file). */
export function refreshHostedUrls(engine: Engine): void {
  for (const pi of Object.values(engine.store.data.paymentIntents)) {
    const action = pi.next_action as { konbini_display_details?: Obj; display_bank_transfer_instructions?: Obj } | null;
    if (action?.konbini_display_details) action.konbini_display_details.hosted_voucher_url = engine.hostedUrl(`/vouchers/${String(pi.id)}`);
    if (action?.display_bank_transfer_instructions) action.display_bank_transfer_instructions.hosted_instructions_url = engine.hostedUrl(`/bank-transfers/${String(pi.id)}`);
  }
  engine.store.save();
}

export function handleDeferredPage(engine: Engine, res: ServerResponse, method: string, path: string, body: string): void {
  const [, kind, rawId] = path.split("/") as [string, PageKind, string];
  const id = decodeURIComponent(rawId);
  const pi = engine.store.data.paymentIntents[id];
  const expected = kind === "vouchers" ? "konbini" : "customer_balance";
  if (!pi || deferredKind(pi) !== expected) {
    sendHtml(res, 404, page("Not found", notice("このお支払い案内は見つかりません。", "These payment instructions do not exist.")));
    return;
  }
  if (method === "POST") {
    try {
      if (kind === "vouchers") actOnVoucher(engine, id, new URLSearchParams(body));
      else actOnTransfer(engine, pi, new URLSearchParams(body));
    } catch (error) {
      const message = error instanceof StripeApiError ? error.message : String(error);
      sendHtml(res, 400, render(engine, kind, pi, message));
      return;
    }
    redirect(res, path);
    return;
  }
  sweepKonbini(engine);
  sendHtml(res, 200, render(engine, kind, pi));
}

function render(engine: Engine, kind: PageKind, pi: Obj, error?: string): string {
  return kind === "vouchers" ? voucherPage(pi, error) : transferPage(engine, pi, error);
}

function actOnVoucher(engine: Engine, id: string, form: URLSearchParams): void {
  const action = form.get("action");
  if (action === "pay") {
    const store = (form.get("store") ?? "familymart") as KonbiniStore;
    if (!KONBINI_STORES.includes(store)) throw new StripeApiError(400, "invalid_request_error", "Unknown store.");
    konbiniPay(engine, id, store);
  } else if (action === "expire") konbiniExpire(engine, id);
  else throw new StripeApiError(400, "invalid_request_error", "Unknown action.");
}

function actOnTransfer(engine: Engine, pi: Obj, form: URLSearchParams): void {
  const remaining = amountRemaining(pi);
  const amounts: Record<string, number[]> = {
    exact: [remaining],
    under: [remaining - STEP_YEN],
    over: [remaining + STEP_YEN],
    twice: [remaining, remaining],
    custom: [Number((form.get("amount") ?? "").replace(/[,\s¥]/g, ""))],
  };
  const chosen = amounts[form.get("action") ?? ""];
  if (!chosen) throw new StripeApiError(400, "invalid_request_error", "Unknown action.");
  if (chosen.some((a) => !Number.isSafeInteger(a) || a <= 0)) {
    throw new StripeApiError(400, "invalid_request_error", "振込金額は 1 円以上の整数で入力してください。 / Enter a whole number of yen, at least ¥1.");
  }
  const reference = (pi.next_action as { display_bank_transfer_instructions?: { reference?: string } } | null)?.display_bank_transfer_instructions?.reference ?? null;
  for (const amount of chosen) receiveTransfer(engine, pi.customer as string, amount, reference, NO_REQUEST);
}

function tokyo(seconds: number): string {
  return new Date(seconds * 1000).toLocaleString("ja-JP", { timeZone: "Asia/Tokyo" });
}

function statusBadge(pi: Obj): string {
  const labels: Record<string, string> = {
    requires_action: "お支払い待ち / Awaiting payment",
    succeeded: "お支払い済み / Paid",
    requires_payment_method: "期限切れ / Expired",
    canceled: "キャンセル済み / Canceled",
  };
  return `<p><span class="status" data-testid="status">${escapeHtml(labels[pi.status as string] ?? pi.status)}</span></p>`;
}

function errorBlock(error?: string): string {
  return error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : "";
}

function voucherPage(pi: Obj, error?: string): string {
  const amount = formatAmount(pi.amount as number, pi.currency as string);
  const details = (pi.next_action as { konbini_display_details?: { expires_at: number; stores: Record<string, { confirmation_number: string; payment_code: string }> } } | null)
    ?.konbini_display_details;
  const rows = details
    ? KONBINI_STORES.map((store) => {
        const s = details.stores[store];
        return `<tr><th scope="row">${escapeHtml(STORE_NAMES[store])}</th><td>${escapeHtml(s?.payment_code)}</td><td>${escapeHtml(s?.confirmation_number)}</td></tr>`;
      }).join("")
    : "";
  const numbers = details
    ? `<p class="muted">お支払い期限 / Pay by: <strong data-testid="deadline">${escapeHtml(tokyo(details.expires_at))}</strong> (JST)</p>
    <table><thead><tr><th scope="col">店舗 / Store</th><th scope="col">お支払い番号 / Payment code</th><th scope="col">確認番号 / Confirmation number</th></tr></thead><tbody>${rows}</tbody></table>
    <div class="actions">
      <form method="post"><input type="hidden" name="action" value="pay">
        <label for="store">支払う店舗 / Store</label>
        <select id="store" name="store">${KONBINI_STORES.map((s) => `<option value="${s}">${escapeHtml(STORE_NAMES[s])}</option>`).join("")}</select>
        <button type="submit">店頭で支払う（テスト） / Pay at the store (test)</button>
      </form>
      <form method="post"><input type="hidden" name="action" value="expire"><button type="submit" class="secondary">期限切れにする（テスト） / Let it expire (test)</button></form>
    </div>`
    : "";
  return page(
    `コンビニ払い ${amount}`,
    `<section>
    <h1>コンビニでのお支払い / Konbini payment</h1>
    ${statusBadge(pi)}${errorBlock(error)}
    <p class="muted">お支払い金額 / Amount</p>
    <p class="total" data-testid="amount">${escapeHtml(amount)}</p>
    ${numbers}
  </section>`,
  );
}

function transferPage(engine: Engine, pi: Obj, error?: string): string {
  const instructions = (pi.next_action as { display_bank_transfer_instructions?: { amount_remaining: number; reference: string; financial_addresses: { zengin: Record<string, string> }[] } } | null)
    ?.display_bank_transfer_instructions;
  const extra = engine.store.data.customerExtras[pi.customer as string];
  const account = (instructions?.financial_addresses[0]?.zengin ?? customerExtra(engine, pi.customer as string).account) as Record<string, string>;
  const remaining = amountRemaining(pi);
  const rows: [string, unknown][] = [
    ["金融機関 / Bank", `${account.bank_name} (${account.bank_code})`],
    ["支店 / Branch", `${account.branch_name} (${account.branch_code})`],
    ["預金種目 / Account type", account.account_type === "futsu" ? "普通 / Ordinary (futsu)" : account.account_type],
    ["口座番号 / Account number", account.account_number],
    ["口座名義 / Account holder", account.account_holder_name],
  ];
  if (instructions) rows.push(["振込依頼人コード / Reference", instructions.reference]);
  const presets = instructions
    ? `<form method="post"><input type="hidden" name="action" value="exact"><button type="submit">ちょうど振り込む（テスト） / Pay the exact amount (test)</button></form>
      ${remaining > STEP_YEN ? `<form method="post"><input type="hidden" name="action" value="under"><button type="submit" class="secondary">¥1,000 少なく振り込む / Pay ¥1,000 less (test)</button></form>` : ""}
      <form method="post"><input type="hidden" name="action" value="over"><button type="submit" class="secondary">¥1,000 多く振り込む / Pay ¥1,000 more (test)</button></form>
      <form method="post"><input type="hidden" name="action" value="twice"><button type="submit" class="secondary">同じ金額を 2 回振り込む / Pay the amount twice (test)</button></form>`
    : "";
  const amount = formatAmount(pi.amount as number, "jpy");
  return page(
    `銀行振込 ${amount}`,
    `<section>
    <h1>銀行振込でのお支払い / Bank transfer</h1>
    ${statusBadge(pi)}${errorBlock(error)}
    <p class="muted">ご請求額 / Amount: ${escapeHtml(amount)}</p>
    <p class="muted">残りのお振込額 / Amount remaining</p>
    <p class="total" data-testid="amount-remaining">${escapeHtml(formatAmount(remaining, "jpy"))}</p>
    <table><tbody>${rows.map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join("")}</tbody></table>
    <p class="muted">お客様の入金残高 / Customer cash balance: <span data-testid="cash-balance">${escapeHtml(formatAmount(extra?.balance ?? 0, "jpy"))}</span></p>
    <div class="actions">
      ${presets}
      <form method="post"><input type="hidden" name="action" value="custom">
        <label for="amount">振込金額（円） / Amount to transfer (yen)</label>
        <input id="amount" name="amount" inputmode="numeric" required>
        <button type="submit" class="secondary">この金額を振り込む（テスト） / Transfer this amount (test)</button>
      </form>
    </div>
  </section>`,
  );
}
