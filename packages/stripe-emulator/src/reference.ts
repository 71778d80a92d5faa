/** Access to the Stripe OpenAPI subset in ../reference (the shapes the emulator is built to). */
import { readFileSync } from "node:fs";

export interface EndpointParam {
  name: string;
  type?: string | null;
  enum?: string[];
  properties?: string[];
  items?: { properties?: string[] };
  subproperties?: Record<string, { properties?: string[]; enum?: string[] }>;
}

interface EndpointSpec {
  method: string;
  path: string;
  parameters: { name: string; in: string }[];
  request_body?: { params: EndpointParam[] };
}

const cache = new Map<string, unknown>();

export function loadReference<T = unknown>(file: "schemas.json" | "endpoints.json" | "event-types.json"): T {
  let value = cache.get(file);
  if (value === undefined) {
    value = JSON.parse(readFileSync(new URL(`../reference/${file}`, import.meta.url), "utf8"));
    cache.set(file, value);
  }
  return value as T;
}

function endpointSpec(method: string, path: string): EndpointSpec {
  const spec = loadReference<{ endpoints: EndpointSpec[] }>("endpoints.json").endpoints.find((e) => e.method === method && e.path === path);
  if (!spec) throw new Error(`endpoint ${method} ${path} is not in reference/endpoints.json`);
  return spec;
}

/** Names a request may carry: form-body fields for POST, query parameters for GET. */
export function allowedParams(method: string, path: string): string[] {
  const spec = endpointSpec(method, path);
  if (method === "POST") return (spec.request_body?.params ?? []).map((p) => p.name);
  return spec.parameters.filter((p) => p.in === "query").map((p) => p.name);
}

export function bodyParam(method: string, path: string, name: string): EndpointParam {
  const param = endpointSpec(method, path).request_body?.params.find((p) => p.name === name);
  if (!param) throw new Error(`${method} ${path} has no body param ${name} in the reference`);
  return param;
}
