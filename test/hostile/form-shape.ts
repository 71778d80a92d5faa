import fc from "fast-check";
import type { z } from "zod";
import { PNG_1x1 } from "@/test/images";
import { extraFieldName, hostileFormValue, hostileString } from "./arbitraries";

/** What a form field of an action's zod schema expects, read from the schema itself (zod 4 internals). */
type FieldKind =
  | { kind: "id" }
  | { kind: "email" }
  | { kind: "number" }
  | { kind: "boolean" }
  | { kind: "file" }
  | { kind: "choice"; values: string[] }
  | { kind: "text"; pattern?: RegExp }
  | { kind: "list"; of: FieldKind };

type Def = { type: string; [key: string]: unknown };
const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;

function kindOf(schema: unknown): FieldKind {
  const def = defOf(schema);
  switch (def.type) {
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "catch":
    case "readonly":
      return kindOf(def.innerType);
    case "pipe":
      // preprocess(fn, X) is pipe(transform, X); X.transform(fn) is pipe(X, transform).
      return defOf(def.in).type === "transform" ? kindOf(def.out) : kindOf(def.in);
    case "string": {
      if (def.format === "uuid" || def.format === "guid") return { kind: "id" };
      if (def.format === "email") return { kind: "email" };
      const checks = (def.checks ?? []) as { _zod: { def: { format?: string; pattern?: RegExp } } }[];
      const pattern = checks.map((check) => check._zod.def).find((check) => check.format === "regex")?.pattern;
      return pattern ? { kind: "text", pattern } : { kind: "text" };
    }
    case "number":
    case "int":
    case "bigint":
      return { kind: "number" };
    case "boolean":
      return { kind: "boolean" };
    case "file":
      return { kind: "file" };
    case "enum":
      return { kind: "choice", values: Object.values(def.entries as Record<string, string>).map(String) };
    case "literal":
      return { kind: "choice", values: (def.values as unknown[]).map(String) };
    case "array":
      return { kind: "list", of: kindOf(def.element) };
    case "union": {
      const options = (def.options as unknown[]).map(kindOf);
      const choices = options.flatMap((option) => (option.kind === "choice" ? option.values : []));
      return choices.length === options.length ? { kind: "choice", values: choices } : (options.find((option) => option.kind !== "choice") ?? { kind: "text" });
    }
    default:
      return { kind: "text" };
  }
}

export type Field = FieldKind & { schema: z.ZodType };

/** Field name → what it expects (and its own schema), through objects, intersections, unions and pipes. */
export function formFields(schema: z.ZodType): Record<string, Field> {
  const def = defOf(schema);
  switch (def.type) {
    case "object":
      return Object.fromEntries(Object.entries(def.shape as Record<string, z.ZodType>).map(([name, field]) => [name, { ...kindOf(field), schema: field }]));
    case "intersection":
      return { ...formFields(def.left as z.ZodType), ...formFields(def.right as z.ZodType) };
    case "union": {
      // A discriminated union: each option's literal values are merged, so every branch can be chosen.
      const merged: Record<string, Field> = {};
      for (const option of def.options as z.ZodType[]) {
        for (const [name, kind] of Object.entries(formFields(option))) {
          const seen = merged[name];
          merged[name] = seen?.kind === "choice" && kind.kind === "choice" ? { ...seen, values: [...new Set([...seen.values, ...kind.values])] } : (seen ?? kind);
        }
      }
      return merged;
    }
    case "pipe":
      return defOf(def.in).type === "transform" ? formFields(def.out as z.ZodType) : formFields(def.in as z.ZodType);
    case "optional":
    case "default":
      return formFields(def.innerType as z.ZodType);
    default:
      return {};
  }
}

/** Ids the world holds, by the field names that name them; `any` is every id of every table. */
export type IdPools = Record<string, string[]> & { any: string[] };

/** Everyday values of every shape the app's forms take; each field keeps those its own schema accepts. */
const EVERYDAY = [
  "テスト",
  "Test note",
  "山田 花子",
  "ヤマダ ハナコ",
  "ﾔﾏﾀﾞ ﾊﾅｺ",
  "investor@example.jp",
  "staff@village.example",
  "new-person@example.jp",
  "2027-01-15",
  "2026-12-01",
  "2027-01-15T10:00",
  "1",
  "3",
  "10",
  "100",
  "1000",
  "0.5",
  "2026",
  "on",
  "true",
  "yes",
  "0001",
  "001",
  "1234567",
  "707-0503",
  "0868-79-2111",
  "JP",
  "33",
  "/dashboard",
  "0x70997970C51812dc3A010C8d50b3aa96C4dc79C8",
  "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
];
const everydayFiles = [new File([PNG_1x1], "photo.png", { type: "image/png" })];

/** Samples of a pattern, drawn once: fast-check's regex generator is slow for long counted runs. */
const patternSamples = new Map<string, string[]>();
function samplesOf(pattern: RegExp): string[] {
  const key = String(pattern);
  if (!patternSamples.has(key)) patternSamples.set(key, [...new Set(fc.sample(fc.stringMatching(pattern, { size: "xsmall" }), { numRuns: 12, seed: 17 }))]);
  return patternSamples.get(key)!;
}

/** Values that could pass validation (so the handler runs), with the world's ids (other people's things) where an id is asked. */
function plausible(name: string, field: Field, pools: IdPools): fc.Arbitrary<string | Blob | string[]> {
  const ids = pools[name]?.length ? pools[name] : pools.any;
  if (field.kind === "id") return ids.length ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...ids) }, { weight: 1, arbitrary: fc.uuid() }) : fc.uuid();
  if (field.kind === "choice") return fc.constantFrom(...field.values);
  const candidates: (string | Blob)[] = [...EVERYDAY, ...everydayFiles, ...(field.kind === "text" && field.pattern ? samplesOf(field.pattern) : []), ...ids.slice(0, 3)];
  const accepted = candidates.filter((value) => field.schema.safeParse(field.kind === "list" ? [value] : value).success);
  const one = accepted.length ? fc.constantFrom(...accepted) : hostileString;
  if (field.kind !== "list") return one;
  return fc.array(one, { minLength: 1, maxLength: 3 }).map((items) => (items.every((item) => typeof item === "string") ? (items as string[]) : (items[0] as Blob)));
}

export type FormCase = { entries: [string, string | Blob][]; mode: string };

/**
 * Forms for one action: mostly valid (the handler runs on other people's ids) or hostile field by
 * field (wrong types, huge and unicode-edge text, files, repeated keys, missing fields), plus
 * fields nobody declared.
 */
export function hostileForm(fields: Record<string, Field>, pools: IdPools): fc.Arbitrary<FormCase> {
  const names = Object.keys(fields);
  const valid = Object.fromEntries(names.map((name) => [name, plausible(name, fields[name]!, pools)]));
  const field = (name: string, hostileShare: number) =>
    fc.oneof({ weight: 10 - hostileShare, arbitrary: valid[name]! }, { weight: hostileShare, arbitrary: hostileFormValue }, { weight: hostileShare > 0 ? 1 : 0, arbitrary: fc.constant(undefined) });
  const filled = (hostileShare: number) => fc.tuple(...names.map((name) => field(name, hostileShare)));
  const extras = fc.array(
    fc.tuple(
      fc.oneof(
        extraFieldName,
        hostileString.filter((key) => key.length < 200),
      ),
      hostileFormValue,
    ),
    { maxLength: 2 },
  );
  return fc.oneof(fc.constant("valid" as const), fc.constant("mixed" as const), fc.constant("hostile" as const)).chain((mode) =>
    fc.tuple(names.length ? filled(mode === "valid" ? 0 : mode === "mixed" ? 3 : 8) : fc.constant([]), mode === "valid" ? fc.constant([]) : extras).map(([values, extra]) => {
      const entries: [string, string | Blob][] = [];
      names.forEach((name, index) => {
        const value = (values as (string | Blob | string[] | undefined)[])[index];
        if (value === undefined) return;
        for (const item of Array.isArray(value) ? value : [value]) entries.push([name, item]);
      });
      for (const [name, value] of extra) for (const item of Array.isArray(value) ? value : [value]) entries.push([name, item]);
      return { entries, mode };
    }),
  );
}

export function toFormData(entries: [string, string | Blob][]): FormData {
  const data = new FormData();
  for (const [name, value] of entries) data.append(name, value);
  return data;
}
