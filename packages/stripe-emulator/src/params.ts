/** Stripe-style form/query parameters: parsing `a[b][0][c]=v` into nested values, typed access, errors. */

export type ParamValue = string | ParamArray | Params;
export interface Params {
  [key: string]: ParamValue;
}
type ParamArray = ParamValue[];

/** An error answered in Stripe's `{ error: { type, code, message, param } }` shape. */
export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly code?: string,
    readonly param?: string,
  ) {
    super(message);
  }

  body(): { error: Record<string, string> } {
    const error: Record<string, string> = { type: this.type, message: this.message };
    if (this.code) {
      error.code = this.code;
      error.doc_url = `https://docs.stripe.com/error-codes/${this.code.replace(/_/g, "-")}`;
    }
    if (this.param) error.param = this.param;
    return { error };
  }
}

export function invalid(message: string, param?: string, code?: string): StripeApiError {
  return new StripeApiError(400, "invalid_request_error", message, code, param);
}

export function missingParam(param: string): StripeApiError {
  return invalid(`Missing required param: ${param}.`, param, "parameter_missing");
}

export function noSuch(kind: string, id: string, param: string): StripeApiError {
  return new StripeApiError(404, "invalid_request_error", `No such ${kind}: '${id}'`, "resource_missing", param);
}

/** Parses a urlencoded body or query string; objects whose keys are all indices become arrays. */
export function parseParams(encoded: string): Params {
  const root: Params = {};
  for (const [rawKey, value] of new URLSearchParams(encoded)) {
    const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(rawKey);
    if (!match) throw invalid(`Invalid parameter name: ${rawKey}`, rawKey);
    const path = [match[1] as string, ...[...(match[2] ?? "").matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1] as string)];
    let node: Params = root;
    for (let i = 0; i < path.length; i++) {
      let key = path[i] as string;
      if (key === "") key = String(Object.keys(node).length); // `expand[]=x` appends
      if (i === path.length - 1) {
        if (typeof node[key] === "object") throw invalid(`Invalid parameter: ${rawKey} is both a value and a hash`, rawKey);
        node[key] = value;
      } else {
        const next = node[key];
        if (typeof next === "string") throw invalid(`Invalid parameter: ${rawKey} is both a value and a hash`, rawKey);
        if (next === undefined) node[key] = {};
        node = node[key] as Params;
      }
    }
  }
  return arrayify(root) as Params;
}

function arrayify(value: ParamValue): ParamValue {
  if (typeof value === "string" || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  for (const key of keys) value[key] = arrayify(value[key] as ParamValue);
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
    return keys.sort((a, b) => Number(a) - Number(b)).map((k) => value[k] as ParamValue);
  }
  return value;
}

/** Typed reads of one level of params; `prefix` builds Stripe's bracketed param names in errors. */
export class ParamReader {
  constructor(
    readonly params: Params,
    readonly prefix = "",
  ) {}

  name(key: string): string {
    return this.prefix ? `${this.prefix}[${key}]` : key;
  }

  has(key: string): boolean {
    return this.params[key] !== undefined;
  }

  string(key: string): string | undefined {
    const value = this.params[key];
    if (value === undefined) return undefined;
    if (typeof value !== "string") throw invalid(`Invalid string: ${this.name(key)} must be a string`, this.name(key));
    return value;
  }

  requiredString(key: string): string {
    const value = this.string(key);
    if (value === undefined || value === "") throw missingParam(this.name(key));
    return value;
  }

  integer(key: string): number | undefined {
    const value = this.string(key);
    if (value === undefined) return undefined;
    if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
      throw invalid(`Invalid integer: ${value}`, this.name(key), "parameter_invalid_integer");
    }
    return Number(value);
  }

  boolean(key: string): boolean | undefined {
    const value = this.string(key);
    if (value === undefined) return undefined;
    if (value !== "true" && value !== "false") throw invalid(`Invalid boolean: ${value}`, this.name(key));
    return value === "true";
  }

  oneOf<T extends string>(key: string, allowed: readonly T[]): T | undefined {
    const value = this.string(key);
    if (value === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(value)) {
      throw invalid(`Invalid ${this.name(key)}: must be one of ${allowed.join(", ")}`, this.name(key));
    }
    return value as T;
  }

  object(key: string): ParamReader | undefined {
    const value = this.params[key];
    if (value === undefined || value === "") return undefined;
    if (typeof value !== "object" || Array.isArray(value)) throw invalid(`Invalid object`, this.name(key));
    return new ParamReader(value, this.name(key));
  }

  array(key: string): ParamValue[] | undefined {
    const value = this.params[key];
    if (value === undefined || value === "") return undefined;
    if (!Array.isArray(value)) throw invalid(`Invalid array`, this.name(key));
    return value;
  }

  stringArray(key: string): string[] {
    return (this.array(key) ?? []).map((item, i) => {
      if (typeof item !== "string") throw invalid(`Invalid string`, `${this.name(key)}[${i}]`);
      return item;
    });
  }

  /** Stripe metadata: at most 50 keys of up to 40 characters, values up to 500 characters. */
  metadata(key: string): Record<string, string> {
    const value = this.params[key];
    if (value === undefined || value === "") return {};
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : typeof value === "object" ? Object.entries(value) : null;
    if (!entries) throw invalid(`Invalid object`, this.name(key));
    const out: Record<string, string> = {};
    for (const [k, v] of entries) {
      if (typeof v !== "string") throw invalid(`Invalid string`, `${this.name(key)}[${k}]`);
      if (k.length > 40) throw invalid(`Metadata keys can have up to 40 characters.`, `${this.name(key)}[${k}]`);
      if (v.length > 500) throw invalid(`Metadata values can have up to 500 characters.`, `${this.name(key)}[${k}]`);
      if (v !== "") out[k] = v;
    }
    if (Object.keys(out).length > 50) throw invalid(`Metadata can have up to 50 keys.`, this.name(key));
    return out;
  }
}

/** Rejects params outside `allowed` the way Stripe does ("Received unknown parameter: x"). */
export function rejectUnknown(params: Params, allowed: Iterable<string>, prefix = ""): void {
  const known = new Set(allowed);
  for (const key of Object.keys(params)) {
    if (!known.has(key)) {
      const name = prefix ? `${prefix}[${key}]` : key;
      throw invalid(`Received unknown parameter: ${name}`, name);
    }
  }
}

/** A stable text form of params, used to compare idempotent requests. */
export function canonical(value: ParamValue | undefined): string {
  if (value === undefined) return "";
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  return `{${Object.keys(value)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
    .join(",")}}`;
}
