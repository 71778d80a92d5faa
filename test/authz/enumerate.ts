import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/** Everything a visitor can reach, read from the file system: pages, route handlers (per method) and server actions. */

const ROOT = path.resolve(import.meta.dirname, "../..");
const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

export type PageEntry = { kind: "page"; key: string; file: string };
export type RouteEntry = { kind: "route"; key: string; file: string; path: string; method: string };
export type ActionEntry = { kind: "action"; key: string; file: string; name: string };

function walk(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : walk(relative);
    return [relative];
  });
}

/** The URL path of a file under app/: route groups "(…)" dropped, dynamic segments kept as written. */
function urlOf(file: string): string {
  const segments = path.dirname(file).split(path.sep).slice(1);
  return `/${segments.filter((segment) => !/^\(.*\)$/.test(segment)).join("/")}`;
}

const source = (file: string) => readFileSync(path.join(ROOT, file), "utf8");

export function pages(): PageEntry[] {
  return walk("app")
    .filter((file) => path.basename(file) === "page.tsx")
    .map((file) => ({ kind: "page", key: urlOf(file), file }));
}

/** Each exported HTTP method of each route.ts, whether written `export const GET`, `export async function GET` or `export const { GET, POST }`. */
export function routes(): RouteEntry[] {
  return walk("app")
    .filter((file) => path.basename(file) === "route.ts")
    .flatMap((file) => {
      const text = source(file);
      const named = [...text.matchAll(/^export (?:const|async function|function) (\w+)/gm)].map((match) => match[1]!);
      const destructured = [...text.matchAll(/^export const \{([^}]+)\}/gm)].flatMap((match) => match[1]!.split(",").map((name) => name.trim()));
      const methods = [...named, ...destructured].filter((name) => (HTTP_METHODS as readonly string[]).includes(name));
      return methods.map((method) => ({ kind: "route" as const, key: `${method} ${urlOf(file)}`, file, path: urlOf(file), method }));
    });
}

/** Every export of every "use server" module in app/, lib/ and components/: each is callable from any browser. */
export function actions(): ActionEntry[] {
  return ["app", "lib", "components"]
    .flatMap(walk)
    .filter((file) => /\.tsx?$/.test(file) && !/\.test\.tsx?$/.test(file) && /^["']use server["'];?\s*$/m.test(source(file)))
    .flatMap((file) =>
      [...source(file).matchAll(/^export (?:const|async function|function) (\w+)/gm)].map((match) => ({
        kind: "action" as const,
        key: `${file.replace(/\.tsx?$/, "")}#${match[1]}`,
        file,
        name: match[1]!,
      })),
    );
}

/** Server actions written inline ("use server" as a function body's first line): the function's key, as for exported ones. */
export function inlineActions(): string[] {
  return ["app", "lib", "components"]
    .flatMap(walk)
    .filter((file) => /\.tsx?$/.test(file) && !/\.test\.tsx?$/.test(file))
    .flatMap((file) => [...source(file).matchAll(/function (\w+)\([^)]*\)[^{]*\{\s*["']use server["']/g)].map((match) => `${file.replace(/\.tsx?$/, "")}#${match[1]}`));
}

/** Imports a module of the app by its path from the repository root. */
export function load<T = Record<string, unknown>>(file: string): Promise<T> {
  return import(/* @vite-ignore */ path.join(ROOT, file)) as Promise<T>;
}
