/** The emulator's data, optionally persisted as one JSON file. */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Obj } from "./objects";
import { chargeBalanceTransaction, refundBalanceTransaction } from "./balance-transactions";
import type { Card } from "./payment-objects";
import type { PaymentIntentData } from "./session-params";

/** What a session needs beyond its public object. */
export interface SessionExtra {
  lineItems: Obj[];
  paymentIntentData: PaymentIntentData;
  /** The card that paid (or is paying asynchronously). */
  card?: Card;
}

/** A customer's cash balance (yen; null until first funded) and its virtual bank account (zengin record), the same for all its transfers. */
export interface CustomerExtra {
  balance: number | null;
  account: Obj;
}

interface IdempotencyEntry {
  route: string;
  params: string;
  status: number;
  body: string;
  createdMs: number;
}

export interface StateData {
  version: 1;
  sessions: Record<string, Obj>;
  sessionExtras: Record<string, SessionExtra>;
  paymentIntents: Record<string, Obj>;
  charges: Record<string, Obj>;
  refunds: Record<string, Obj>;
  disputes: Record<string, Obj>;
  customers: Record<string, Obj>;
  customerExtras: Record<string, CustomerExtra>;
  cashBalanceTransactions: Record<string, Obj>;
  /** The konbini and customer_balance PaymentMethods made from `payment_method_data`. */
  paymentMethods: Record<string, Obj>;
  /** Oldest first. */
  events: Obj[];
  idempotency: Record<string, IdempotencyEntry>;
  /** Event ids whose webhook has not been answered 2xx yet and is still being retried. */
  outbox: string[];
}

function emptyState(): StateData {
  return {
    version: 1,
    sessions: {},
    sessionExtras: {},
    paymentIntents: {},
    charges: {},
    refunds: {},
    disputes: {},
    customers: {},
    customerExtras: {},
    cashBalanceTransactions: {},
    paymentMethods: {},
    events: [],
    idempotency: {},
    outbox: [],
  };
}

export class StateStore {
  data: StateData;

  constructor(private readonly file?: string) {
    this.data = file && existsSync(file) ? { ...emptyState(), ...(JSON.parse(readFileSync(file, "utf8")) as Partial<StateData>) } : emptyState();
  }

  /** Written whole after each change (write then rename, so a crash never leaves half a file). */
  save(): void {
    if (!this.file) return;
    mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.data));
    renameSync(tmp, this.file);
  }

  reset(): void {
    this.data = emptyState();
    this.save();
  }

  /** Any stored object by its id prefix (cs_, pi_, ch_, re_, dp_, cus_, ccsbtxn_, pm_, evt_, txn_). */
  byId(id: string): Obj | undefined {
    const d = this.data;
    if (id.startsWith("cs_")) return d.sessions[id];
    if (id.startsWith("pi_")) return d.paymentIntents[id];
    if (id.startsWith("ch_")) return d.charges[id];
    if (id.startsWith("re_")) return d.refunds[id];
    if (id.startsWith("dp_")) return d.disputes[id];
    if (id.startsWith("cus_")) return d.customers[id];
    if (id.startsWith("ccsbtxn_")) return d.cashBalanceTransactions[id];
    if (id.startsWith("pm_")) return d.paymentMethods[id];
    if (id.startsWith("evt_")) return d.events.find((e) => e.id === id);
    if (id.startsWith("txn_")) return this.balanceTransaction(id);
    return undefined;
  }

  /** Balance transactions are derived from their charge, refund or dispute, so older state files have them too. */
  private balanceTransaction(id: string): Obj | undefined {
    const d = this.data;
    const charge = Object.values(d.charges).find((c) => c.balance_transaction === id);
    if (charge) return chargeBalanceTransaction(charge);
    const refund = Object.values(d.refunds).find((r) => r.balance_transaction === id);
    if (refund) return refundBalanceTransaction(refund);
    for (const dispute of Object.values(d.disputes)) {
      const found = (dispute.balance_transactions as Obj[]).find((t) => t.id === id);
      if (found) return found;
    }
    return undefined;
  }
}
