/** Signed webhook delivery with retries, duplication, holding and reordering. */
import { createHmac } from "node:crypto";
import http from "node:http";
import https from "node:https";
import type { Obj } from "./objects";
import { invalid } from "./params";

export interface DeliveryMode {
  /** Deliver each event this many times, concurrently. */
  duplicate: number;
  /** Hold events; flush() delivers the held batch newest first. */
  reorder: boolean;
  /** Wait this long before the first attempt of each event. */
  delayMs: number;
  /** Hold events until flush() (or until unpaused). */
  paused: boolean;
}

export interface DeliveryAttempt {
  eventId: string;
  type: string;
  /** 1 for the first try of a copy, 2 for its first retry... */
  attempt: number;
  /** Which of the `duplicate` copies (0-based); redeliveries count as a new copy. */
  copy: number;
  /** HTTP status, or 0 when the request failed (connection refused, timeout). */
  status: number;
  ok: boolean;
  error?: string;
  /** Wall-clock ms when the attempt started. */
  at: number;
}

interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
}

export function signPayload(payload: string, secret: string, timestampSeconds: number): string {
  const signature = createHmac("sha256", secret).update(`${timestampSeconds}.${payload}`, "utf8").digest("hex");
  return `t=${timestampSeconds},v1=${signature}`;
}

export interface DelivererOptions {
  url?: string;
  secret: string;
  retry: RetryPolicy;
  timeoutMs?: number;
  log: (line: string) => void;
  onDelivered: (eventId: string) => void;
  onGaveUp: (eventId: string) => void;
}

export class WebhookDeliverer {
  mode: DeliveryMode = { duplicate: 1, reorder: false, delayMs: 0, paused: false };
  readonly attempts: DeliveryAttempt[] = [];
  private held: Obj[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private readonly requests = new Set<http.ClientRequest>();
  private stopped = false;
  private copies = new Map<string, number>();

  constructor(private readonly options: DelivererOptions) {}

  get enabled(): boolean {
    return Boolean(this.options.url);
  }

  setMode(change: Partial<DeliveryMode>): DeliveryMode {
    const duplicate = change.duplicate ?? this.mode.duplicate;
    if (!Number.isInteger(duplicate) || duplicate < 1) throw invalid("duplicate must be an integer >= 1", "duplicate");
    if (change.delayMs !== undefined && !(change.delayMs >= 0)) throw invalid("delayMs must be >= 0", "delayMs");
    this.mode = { ...this.mode, ...change, duplicate };
    if (!this.mode.paused && !this.mode.reorder && this.held.length > 0) void this.flush();
    return this.mode;
  }

  enqueue(event: Obj): void {
    if (!this.enabled || this.stopped) return;
    if (this.mode.paused || this.mode.reorder) this.held.push(event);
    else this.track(this.dispatch(event, this.mode.duplicate));
  }

  /** Releases held events (newest first when reordering), one after another, and resolves when each has had its first attempt. */
  async flush(): Promise<void> {
    const batch = this.held;
    this.held = [];
    if (this.mode.reorder) batch.reverse();
    for (const event of batch) await this.dispatch(event, this.mode.duplicate);
  }

  /** Forgets held events and the attempt log (running chains finish on their own). */
  reset(): void {
    this.held = [];
    this.attempts.length = 0;
    this.copies.clear();
  }

  heldCount(): number {
    return this.held.length;
  }

  /** Sends one event again, bypassing holding; resolves after the first attempt. */
  async redeliver(event: Obj): Promise<DeliveryAttempt | undefined> {
    if (!this.enabled) return undefined;
    const before = this.attempts.length;
    await this.dispatch(event, 1);
    return this.attempts.slice(before).find((a) => a.eventId === event.id && a.attempt === 1);
  }

  /** Resolves when no delivery (including pending retries) is running. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  stop(): void {
    this.stopped = true;
    this.held = [];
    for (const [timer, wake] of this.timers) {
      clearTimeout(timer);
      wake();
    }
    this.timers.clear();
    for (const request of this.requests) request.destroy();
  }

  /** Starts `copies` independent retry chains; resolves once each has made its first attempt. */
  private dispatch(event: Obj, copies: number): Promise<void> {
    const firsts: Promise<void>[] = [];
    for (let i = 0; i < copies; i++) {
      let firstDone!: () => void;
      firsts.push(new Promise<void>((resolve) => (firstDone = resolve)));
      const copy = this.copies.get(event.id as string) ?? 0;
      this.copies.set(event.id as string, copy + 1);
      this.track(this.chain(event, copy, firstDone));
    }
    return Promise.all(firsts).then(() => undefined);
  }

  private track(promise: Promise<void>): void {
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise));
  }

  private async chain(event: Obj, copy: number, firstDone: () => void): Promise<void> {
    const { attempts, baseDelayMs } = this.options.retry;
    try {
      if (this.mode.delayMs > 0) await this.sleep(this.mode.delayMs);
      for (let attempt = 1; attempt <= attempts && !this.stopped; attempt++) {
        const result = await this.post(event);
        const record: DeliveryAttempt = { eventId: event.id as string, type: event.type as string, attempt, copy, ...result };
        this.attempts.push(record);
        this.options.log(`webhook ${record.type} ${record.eventId} attempt ${attempt}${copy ? ` copy ${copy}` : ""} → ${record.status || record.error}`);
        if (attempt === 1) firstDone();
        if (record.ok) {
          this.options.onDelivered(record.eventId);
          return;
        }
        if (attempt < attempts) await this.sleep(baseDelayMs * 2 ** (attempt - 1));
      }
      if (!this.stopped) this.options.onGaveUp(event.id as string);
    } finally {
      firstDone();
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.stopped) return resolve();
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.set(timer, resolve);
    });
  }

  private post(event: Obj): Promise<Omit<DeliveryAttempt, "eventId" | "type" | "attempt" | "copy">> {
    const url = new URL(this.options.url as string);
    // Stripe sends pretty-printed JSON; each attempt is signed afresh with the wall clock (not the
    // `now` option), since receivers check the timestamp against their own clock.
    const payload = JSON.stringify(event, null, 2);
    const at = Date.now();
    const header = signPayload(payload, this.options.secret, Math.floor(at / 1000));
    const client = url.protocol === "https:" ? https : http;
    return new Promise((resolve) => {
      let done = false;
      const finish = (result: Omit<DeliveryAttempt, "eventId" | "type" | "attempt" | "copy">) => {
        this.requests.delete(request);
        if (!done) resolve(result);
        done = true;
      };
      const request = client.request(
        url,
        {
          method: "POST",
          agent: false,
          timeout: this.options.timeoutMs ?? 10_000,
          headers: {
            "Content-Type": "application/json; charset=utf-8",
            "Content-Length": Buffer.byteLength(payload),
            "Stripe-Signature": header,
            "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
            "Cache-Control": "no-cache",
            Accept: "*/*; q=0.5, application/xml",
          },
        },
        (response) => {
          const status = response.statusCode ?? 0;
          response.on("error", () => undefined);
          response.on("close", () => finish({ status, ok: status >= 200 && status < 300, at }));
          response.resume();
        },
      );
      this.requests.add(request);
      request.on("timeout", () => request.destroy(new Error("timed out")));
      request.on("error", (error) => finish({ status: 0, ok: false, error: error.message, at }));
      request.end(payload);
    });
  }
}
