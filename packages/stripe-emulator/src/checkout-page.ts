/** The hosted test checkout page: `GET /checkout/:id` renders it, `POST /checkout/:id` pays. */
import type { ServerResponse } from "node:http";
import type { Engine } from "./engine";
import { redirect, sendHtml } from "./http";
import type { Obj } from "./objects";
import { isZeroDecimal } from "./session-params";

const TEST_CARDS = { success: "4242424242424242", declined: "4000000000000002" } as const;

export function formatAmount(amount: number, currency: string): string {
  const major = isZeroDecimal(currency) ? amount : amount / 100;
  return new Intl.NumberFormat("en-US", { style: "currency", currency: currency.toUpperCase() }).format(major);
}

export function escapeHtml(text: unknown): string {
  return String(text ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

interface FormState {
  email?: string;
  name?: string;
  expiry?: string;
  error?: string;
}

export function handleCheckoutPage(engine: Engine, res: ServerResponse, method: string, sessionId: string, body: string): void {
  const session = engine.store.data.sessions[sessionId];
  if (!session) {
    sendHtml(res, 404, page("Not found", notice("このお支払いページは見つかりません。", "This checkout page does not exist.")));
    return;
  }
  if (session.status !== "open") {
    sendHtml(res, method === "POST" ? 409 : 200, closedPage(session));
    return;
  }
  if (method !== "POST") {
    sendHtml(res, 200, formPage(engine, session, {}));
    return;
  }
  const form = new URLSearchParams(body);
  const state: FormState = {
    email: form.get("email")?.trim() || undefined,
    name: form.get("name")?.trim() || undefined,
    expiry: form.get("expiry")?.trim() || undefined,
  };
  const number = (form.get("card_number") ?? "").replace(/[\s-]/g, "");
  if (number !== TEST_CARDS.success && number !== TEST_CARDS.declined) {
    state.error =
      "テストカードを使用してください：4242 4242 4242 4242（成功）または 4000 0000 0000 0002（拒否）。 / " + "Use a test card: 4242 4242 4242 4242 (succeeds) or 4000 0000 0000 0002 (declined).";
    sendHtml(res, 400, formPage(engine, session, state));
    return;
  }
  const expiry = parseExpiry(state.expiry ?? "", new Date(engine.nowSeconds() * 1000));
  if (!expiry) {
    state.error = "有効期限が無効です。 / Your card's expiration date is invalid or in the past.";
    sendHtml(res, 400, formPage(engine, session, state));
    return;
  }
  if (!/^\d{3,4}$/.test(form.get("cvc")?.trim() ?? "")) {
    state.error = "セキュリティコードが不完全です。 / Your card's security code is incomplete.";
    sendHtml(res, 400, formPage(engine, session, state));
    return;
  }
  if (number === TEST_CARDS.declined) {
    // Real Checkout keeps the session open after a decline so the customer can try another card.
    state.error = "カードが拒否されました。別のカードをお試しください。 / Your card was declined. Please try another card.";
    sendHtml(res, 402, formPage(engine, session, state));
    return;
  }
  const completed = engine.completeSession(sessionId, "paid", {
    last4: number.slice(-4),
    expMonth: expiry.month,
    expYear: expiry.year,
    name: state.name ?? null,
    email: (session.customer_email as string | null) ?? state.email ?? null,
  });
  const successUrl = completed.success_url as string | null;
  if (successUrl) redirect(res, successUrl.replaceAll("{CHECKOUT_SESSION_ID}", sessionId));
  else sendHtml(res, 200, closedPage(completed));
}

function parseExpiry(text: string, now: Date): { month: number; year: number } | undefined {
  const m = /^(\d{1,2})\s*\/?\s*(\d{2}|\d{4})$/.exec(text.replace(/\s+/g, " ").trim());
  if (!m) return undefined;
  const month = Number(m[1]);
  const year = m[2]!.length === 2 ? 2000 + Number(m[2]) : Number(m[2]);
  if (month < 1 || month > 12) return undefined;
  const current = now.getUTCFullYear() * 12 + now.getUTCMonth() + 1;
  if (year * 12 + month < current || year > now.getUTCFullYear() + 50) return undefined;
  return { month, year };
}

function formPage(engine: Engine, session: Obj, state: FormState): string {
  const currency = session.currency as string;
  const total = formatAmount(session.amount_total as number, currency);
  const items = engine.store.data.sessionExtras[session.id as string]?.lineItems ?? [];
  const rows = items
    .map((li) => `<li><span>${escapeHtml(li.description)} <small>× ${escapeHtml(li.quantity)}</small></span><span>${escapeHtml(formatAmount(li.amount_total as number, currency))}</span></li>`)
    .join("");
  const fixedEmail = session.customer_email as string | null;
  const expires = new Date((session.expires_at as number) * 1000).toLocaleString("ja-JP", { timeZone: "Asia/Tokyo" });
  const cancel = session.cancel_url ? `<a class="back" href="${escapeHtml(session.cancel_url)}">← キャンセルして戻る / Cancel and return</a>` : "";
  return page(
    `お支払い ${total}`,
    `<div class="grid">
  <section class="summary">
    ${cancel}
    <p class="muted">お支払い金額 / Amount due</p>
    <p class="total" data-testid="amount">${escapeHtml(total)}</p>
    <ul class="items">${rows}</ul>
    <p class="sum"><span>合計 / Total</span><span>${escapeHtml(total)}</span></p>
    <p class="muted small">このページの有効期限 / Expires: ${escapeHtml(expires)} (JST)</p>
  </section>
  <section class="pay">
    <form method="post" action="/checkout/${escapeHtml(session.id)}" novalidate>
      ${state.error ? `<p class="error" role="alert">${escapeHtml(state.error)}</p>` : ""}
      <label for="email">メールアドレス / Email</label>
      ${
        fixedEmail
          ? `<input id="email" name="email" type="email" value="${escapeHtml(fixedEmail)}" readonly>`
          : `<input id="email" name="email" type="email" autocomplete="email" value="${escapeHtml(state.email)}">`
      }
      <label for="card_number">カード番号 / Card number</label>
      <input id="card_number" name="card_number" inputmode="numeric" autocomplete="cc-number" placeholder="4242 4242 4242 4242" required>
      <div class="row">
        <div><label for="expiry">有効期限 / Expiry (MM / YY)</label>
        <input id="expiry" name="expiry" autocomplete="cc-exp" placeholder="MM / YY" value="${escapeHtml(state.expiry)}" required></div>
        <div><label for="cvc">セキュリティコード / CVC</label>
        <input id="cvc" name="cvc" inputmode="numeric" autocomplete="cc-csc" placeholder="123" required></div>
      </div>
      <label for="name">カード名義 / Name on card</label>
      <input id="name" name="name" autocomplete="cc-name" value="${escapeHtml(state.name)}">
      <button type="submit">支払う / Pay ${escapeHtml(total)}</button>
      <p class="muted small">テストカード / Test cards: 4242 4242 4242 4242 (成功 / succeeds), 4000 0000 0000 0002 (拒否 / declined). 有効期限は未来の日付、CVC は任意の 3 桁 / any future expiry, any 3-digit CVC.</p>
    </form>
  </section>
</div>`,
  );
}

function closedPage(session: Obj): string {
  if (session.status === "complete") {
    const back = session.success_url
      ? `<p><a href="${escapeHtml((session.success_url as string).replaceAll("{CHECKOUT_SESSION_ID}", session.id as string))}">サイトに戻る / Return to the site</a></p>`
      : "";
    return page("Payment complete", notice("お支払いは完了しています。", "This payment is complete.", back));
  }
  const back = session.cancel_url ? `<p><a href="${escapeHtml(session.cancel_url)}">サイトに戻る / Return to the site</a></p>` : "";
  return page("Session expired", notice("このお支払いページは有効期限が切れました。", "This checkout session has expired. Please start again from the site.", back));
}

export function notice(ja: string, en: string, extra = ""): string {
  return `<section class="notice" role="status"><h1>${escapeHtml(ja)}</h1><p>${escapeHtml(en)}</p>${extra}</section>`;
}

export function page(title: string, content: string): string {
  return `<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Test checkout</title>
<style>
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Hiragino Sans","Noto Sans CJK JP","Yu Gothic",sans-serif;color:#1a1f36;background:#f6f8fa}
.banner{background:#ffde92;color:#5a3c00;text-align:center;font-size:12px;font-weight:600;padding:4px}
main{max-width:920px;margin:32px auto;padding:0 16px}.grid{display:grid;grid-template-columns:1fr 1fr;gap:32px}
@media (max-width:720px){.grid{grid-template-columns:1fr}}
section{background:#fff;border-radius:10px;padding:24px;box-shadow:0 1px 3px rgba(0,0,0,.08)}
.total{font-size:32px;font-weight:700;margin:0 0 16px}.muted{color:#697386;margin:0}.small{font-size:12px;margin-top:16px}
.items{list-style:none;padding:0;margin:0;border-top:1px solid #e3e8ee}.items li,.sum{display:flex;justify-content:space-between;padding:10px 0;border-bottom:1px solid #e3e8ee;margin:0}
.sum{font-weight:600;border:0}.back{display:inline-block;margin-bottom:16px;color:#635bff;text-decoration:none}
label{display:block;font-size:13px;color:#3c4257;margin:14px 0 4px}input{width:100%;padding:10px 12px;border:1px solid #cfd7df;border-radius:6px;font:inherit}
input:focus{outline:2px solid #635bff33;border-color:#635bff}input[readonly]{background:#f6f8fa}
.row{display:grid;grid-template-columns:1fr 1fr;gap:12px}button{margin-top:20px;width:100%;padding:12px;border:0;border-radius:6px;background:#635bff;color:#fff;font:600 16px system-ui,sans-serif;cursor:pointer}
.error{background:#fdecea;color:#a8201a;border-radius:6px;padding:10px 12px;margin:0 0 8px}.notice{max-width:560px;margin:40px auto;text-align:center}
.notice h1{font-size:20px}a{color:#635bff}
table{width:100%;border-collapse:collapse;margin:8px 0 16px}th,td{text-align:left;padding:8px 4px;border-bottom:1px solid #e3e8ee;font-weight:normal}th{color:#697386}
.status{display:inline-block;border-radius:12px;padding:2px 10px;background:#e3e8ee;font-size:13px}.actions form{margin:0}.actions button.secondary{background:#fff;color:#635bff;border:1px solid #635bff}
select{width:100%;padding:10px 12px;border:1px solid #cfd7df;border-radius:6px;font:inherit;background:#fff}
</style></head>
<body><div class="banner">テストモード · TEST MODE — Stripe emulator</div><main>${content}</main></body></html>`;
}
