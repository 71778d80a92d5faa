import fc from "fast-check";

/** Hostile values for forms, query strings and JSON bodies: what a script, not a browser, would send. */

/**
 * Cases per target, and FUZZ_SEED to replay a failure. 1,000 per target (`FUZZ_RUNS=1000 npx vitest
 * run test/hostile`) took 1,330 s on the project's 2-core machine under load; the suite's default of
 * 100 keeps the folder near its 150 s budget.
 */
export function fuzzParameters(): fc.Parameters<unknown> {
  return { numRuns: Number(process.env.FUZZ_RUNS ?? 100), ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}) };
}

/** A payload that must never come back unescaped: markup whose echo in an answer would be a finding. */
export const MARKUP = ['<script>alert("x")</script>', '"><img src=x onerror=alert(1)>', "<svg/onload=alert(1)>"] as const;

const HUGE_LENGTH = 100 * 1024;

const EDGE_TEXT = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\uD800",
  "\uDFFF",
  "x\uDBFFy",
  "\u202Eevil\u202C",
  "\u200B\u200C\u200D\uFEFF",
  "👨‍👩‍👧‍👦🏳️‍🌈",
  "１２３４５",
  "e\u0301\u0301\u0301\u0301",
  "ｶﾀｶﾅ",
  "\r\n\t",
  "' OR 1=1 --",
  "'; drop table users; --",
  "\\",
  "../../../etc/passwd",
  "%00",
  "%s%s%n",
  "\u0024{7*7}{{7*7}}",
  "__proto__",
  "constructor",
  "null",
  "undefined",
  "true",
  "[]",
  "{}",
  ...MARKUP,
];

/** Numbers as a form or query sends them: text, so every "number" is a string first. */
const EDGE_NUMBERS = ["-1", "0", "-0", "1.5", "NaN", "Infinity", "-Infinity", "1e309", "-1e309", "1e3", "0x10", "9007199254740993", "99999999999999999999", " 1 ", "１", "2147483648", "-2147483649"];

const EDGE_IDS = [
  "00000000-0000-0000-0000-000000000000",
  "ffffffff-ffff-ffff-ffff-ffffffffffff",
  "not-a-uuid",
  "1",
  "0x000000000000000000000000000000000000dEaD",
  "0x0000000000000000000000000000000000000000",
];

const loneSurrogates = fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)), minLength: 1, maxLength: 8 });

/** At least 100 KB of one repeated hostile piece (ASCII, markup, emoji or NUL). */
export const hugeString = fc.constantFrom("A", MARKUP[0], "💥", "\u0000", "ｱ", "'").map((piece) => piece.repeat(Math.ceil(HUGE_LENGTH / piece.length) + 1));

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...EDGE_TEXT, ...EDGE_NUMBERS, ...EDGE_IDS) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 1, arbitrary: loneSurrogates },
  { weight: 1, arbitrary: fc.uuid() },
  { weight: 1, arbitrary: fc.double().map(String) },
  { weight: 1, arbitrary: fc.bigInt().map(String) },
  { weight: 1, arbitrary: hugeString },
);

/** Files where text is expected, or files that are not what they claim. */
const hostileFile: fc.Arbitrary<Blob> = fc.oneof(
  fc.constant(new File([], "empty.png", { type: "image/png" })),
  fc.constant(new File(["<?php system($_GET['c']); ?>"], "shell.png", { type: "image/png" })),
  fc.constant(new File([MARKUP[0]], "x.svg", { type: "image/svg+xml" })),
  fc.constant(new File([new Uint8Array(HUGE_LENGTH).fill(0xff)], "big.jpg", { type: "image/jpeg" })),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => new File([bytes], "\u202Egpj.exe", { type: "application/octet-stream" })),
);

/** One form value: text, a file, or the same key sent several times. */
export const hostileFormValue: fc.Arbitrary<string | Blob | string[]> = fc.oneof(
  { weight: 8, arbitrary: hostileString },
  { weight: 1, arbitrary: hostileFile },
  { weight: 1, arbitrary: fc.array(hostileString, { minLength: 2, maxLength: 3 }) },
);

/** Any JSON value, hostile at the leaves, for bodies that should be objects of a given shape. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    hostileString,
    fc.constantFrom(null, true, false, -1, 0, 1.5, Number.MAX_SAFE_INTEGER + 2, -0, 1e308),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(fc.oneof(hostileString, fc.constantFrom("__proto__", "constructor", "email", "units", "address", "id")), tie("value"), { maxKeys: 4 }),
  ),
})).value;

/** A field name nobody declared: extra fields must be ignored or refused, never acted on. */
export const extraFieldName = fc.constantFrom("userId", "role", "status", "__proto__", "constructor", "id", "amountYen", "soldUnits", "$ACTION_ID_x", "isAdmin");
