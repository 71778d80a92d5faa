import { MARKUP } from "./arbitraries";

/** What an answer must never show a caller: a stack trace, a file path, SQL, or their own markup back. */
const LEAKS: [string, RegExp][] = [
  ["stack frame", /\n\s+at\s|\bat\s+\S+\s+\(.*:\d+:\d+\)|\bat\s+(file|node):/],
  ["file path", /\/(work|home|root|tmp)\/|node_modules|\.(ts|tsx|js|mjs):\d+/],
  [
    "SQL",
    /\bselect\s+("|\*|count\(|coalesce\()[\s\S]{0,300}\bfrom\s|insert into\s+"?[a-z_]+"?\s*\(|update\s+"[a-z_]+"\s+set\b|delete from\s+"|\bfrom\s+"?[a-z_]+"?\s+where\s+"?[a-z_]+"?\s*(=|in\b|is\b)/i,
  ],
  ["SQL error", /violates|syntax error|relation "|duplicate key|invalid input syntax|Failed query|PostgresError|out of range for type/i],
  ["error class", /\b(TypeError|ReferenceError|RangeError|SyntaxError|ZodError)\b/],
  ["markup echoed", new RegExp(MARKUP.map((piece) => piece.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"))],
];

/** The kinds of leak found in a text (empty when clean). */
export function leaksIn(text: string): string[] {
  return LEAKS.filter(([, pattern]) => pattern.test(text)).map(([name]) => name);
}
