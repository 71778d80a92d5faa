/**
 * Compares a JSON object with a schema from reference/schemas.json: required properties, no
 * properties outside the schema, and each property's type, nullability, enum and format.
 * Nested objects are checked too when their `$ref` names a schema in the file.
 */
import { loadReference } from "./reference";

interface TypeRef {
  type?: string;
  $ref?: string;
  enum?: string[];
}

interface PropertySpec {
  type: string | null;
  $ref?: string;
  enum?: string[];
  anyOf?: TypeRef[];
  items?: TypeRef;
  list_of?: { $ref: string };
  list_shape?: { required: string[]; object_enum: string[] };
  nullable: boolean;
  format?: string;
  additionalProperties?: boolean | { type: string };
}

interface SchemaSpec {
  required: string[];
  properties: Record<string, PropertySpec>;
}

export interface SchemaFile {
  schemas: Record<string, SchemaSpec>;
  schema_aliases: Record<string, string>;
}

export function referenceSchemas(): SchemaFile {
  return loadReference<SchemaFile>("schemas.json");
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function typeOk(type: string, value: unknown): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "integer":
      return Number.isInteger(value);
    case "number":
      return typeof value === "number";
    case "boolean":
      return typeof value === "boolean";
    case "array":
      return Array.isArray(value);
    case "object":
      return isPlainObject(value);
    default:
      return false;
  }
}

/** Returns one line per problem; an empty list means the object matches. */
export function checkShape(schemaName: string, value: unknown, file: SchemaFile = referenceSchemas(), path = schemaName): string[] {
  const name = file.schema_aliases[schemaName] ?? schemaName;
  const schema = file.schemas[name];
  if (!schema) return [`${path}: no schema named ${schemaName}`];
  if (!isPlainObject(value)) return [`${path}: expected an object, got ${JSON.stringify(value)}`];
  const problems: string[] = [];
  for (const key of schema.required) {
    if (!(key in value)) problems.push(`${path}.${key}: required property missing`);
  }
  for (const [key, v] of Object.entries(value)) {
    const spec = schema.properties[key];
    if (!spec) problems.push(`${path}.${key}: not a property of ${name}`);
    else problems.push(...checkProperty(spec, v, file, `${path}.${key}`));
  }
  return problems;
}

function checkRef(ref: string, value: unknown, file: SchemaFile, path: string): string[] {
  if (!isPlainObject(value)) return [`${path}: expected an object (${ref}), got ${JSON.stringify(value)}`];
  const known = file.schemas[file.schema_aliases[ref] ?? ref];
  return known ? checkShape(ref, value, file, path) : [];
}

function checkProperty(spec: PropertySpec, value: unknown, file: SchemaFile, path: string): string[] {
  if (value === null) return spec.nullable ? [] : [`${path}: null but not nullable`];
  if (value === undefined) return [`${path}: undefined`];
  if (spec.list_of) {
    if (!isPlainObject(value)) return [`${path}: expected a list object`];
    const problems: string[] = [];
    for (const key of spec.list_shape?.required ?? []) if (!(key in value)) problems.push(`${path}.${key}: list property missing`);
    if (value.object !== "list") problems.push(`${path}.object: expected "list"`);
    if (!Array.isArray(value.data)) return [...problems, `${path}.data: expected an array`];
    for (const [i, item] of value.data.entries()) problems.push(...checkRef(spec.list_of!.$ref, item, file, `${path}.data[${i}]`));
    return problems;
  }
  if (spec.type) {
    if (!typeOk(spec.type, value)) return [`${path}: expected ${spec.type}, got ${JSON.stringify(value)}`];
    const problems: string[] = [];
    if (spec.enum && !spec.enum.includes(value as string)) problems.push(`${path}: ${JSON.stringify(value)} is not one of ${spec.enum.join(", ")}`);
    if (spec.format === "unix-time" && ((value as number) < 1_000_000_000 || (value as number) > 10_000_000_000)) {
      problems.push(`${path}: ${String(value)} is not a plausible unix time`);
    }
    if (spec.format === "currency" && !/^[a-z]{3}$/.test(value as string)) problems.push(`${path}: ${String(value)} is not a currency code`);
    if (spec.type === "array" && spec.items) {
      for (const [i, item] of (value as unknown[]).entries()) problems.push(...checkItem(spec.items!, item, file, `${path}[${i}]`));
    }
    if (spec.type === "object" && isPlainObject(spec.additionalProperties)) {
      const valueType = spec.additionalProperties.type;
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (!typeOk(valueType, v)) problems.push(`${path}.${k}: expected ${valueType}`);
      }
    }
    return problems;
  }
  if (spec.$ref) return checkRef(spec.$ref, value, file, path);
  if (spec.anyOf) {
    const results = spec.anyOf.map((alt) => checkItem(alt, value, file, path));
    if (results.some((r) => r.length === 0)) return [];
    const refIndex = spec.anyOf.findIndex((alt) => alt.$ref);
    return (isPlainObject(value) && refIndex >= 0 ? results[refIndex] : results[0]) ?? [];
  }
  return [];
}

function checkItem(item: TypeRef, value: unknown, file: SchemaFile, path: string): string[] {
  if (item.$ref) return checkRef(item.$ref, value, file, path);
  if (item.type && !typeOk(item.type, value)) return [`${path}: expected ${item.type}, got ${JSON.stringify(value)}`];
  if (item.enum && !item.enum.includes(value as string)) return [`${path}: ${JSON.stringify(value)} is not one of ${item.enum.join(", ")}`];
  return [];
}

/** The schema of `data.object` for an event type, from event-types.json's SDK type names. */
function eventObjectSchema(type: string): string | undefined {
  const sdkName: Record<string, string> = {
    "Checkout.Session": "checkout.session",
    Charge: "charge",
    Dispute: "dispute",
    Refund: "refund",
    PaymentIntent: "payment_intent",
    Customer: "customer",
    CashBalance: "cash_balance",
    CustomerCashBalanceTransaction: "customer_cash_balance_transaction",
  };
  const focus = loadReference<{ focus: Record<string, { sdk_types_data_object: string }> }>("event-types.json").focus;
  const declared = focus[type]?.sdk_types_data_object;
  if (declared) return sdkName[declared];
  if (type.startsWith("checkout.session.")) return "checkout.session";
  if (type.startsWith("payment_intent.")) return "payment_intent";
  if (type.startsWith("charge.dispute.")) return "dispute";
  if (type.startsWith("charge.")) return "charge";
  if (type.startsWith("refund.")) return "refund";
  if (type.startsWith("customer_cash_balance_transaction.")) return "customer_cash_balance_transaction";
  if (type.startsWith("cash_balance.")) return "cash_balance";
  if (type.startsWith("customer.")) return "customer";
  return undefined;
}

/** An event and its `data.object` against their schemas. */
export function checkEvent(event: unknown): string[] {
  const problems = checkShape("event", event);
  const e = event as { type?: string; data?: { object?: unknown } };
  const objectSchema = e.type ? eventObjectSchema(e.type) : undefined;
  if (!objectSchema) return [...problems, `event: no schema known for data.object of ${String(e.type)}`];
  return [...problems, ...checkShape(objectSchema, e.data?.object, undefined, "event.data.object")];
}
