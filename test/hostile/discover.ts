import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The app's server actions and route handlers, found on the file system (so a new one cannot be missed). */

const APP = fileURLToPath(new URL("../../app/", import.meta.url));
const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** A module whose first statement is the "use server" directive. */
const isServerActions = (file: string) => /^(\s*(\/\/[^\n]*|\/\*[\s\S]*?\*\/))*\s*["']use server["']/.test(readFileSync(file, "utf8"));

const relative = (file: string) => path.relative(APP, file).split(path.sep).join("/");

export type Found = { key: string; file: string; name: string };

/** Every function export of every "use server" module under app/, as `path#export`. */
export async function discoverActions(): Promise<(Found & { action: unknown })[]> {
  const found: (Found & { action: unknown })[] = [];
  for (const file of walk(APP).filter(isServerActions).sort()) {
    const module = (await import(file)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(module)) {
      if (typeof value === "function") found.push({ key: `${relative(file)}#${name}`, file, name, action: value });
    }
  }
  return found;
}

/** Every exported HTTP method of every route.ts under app/, as `path#METHOD`, with its URL pattern. */
export async function discoverRoutes(): Promise<(Found & { handler: (request: Request, context: unknown) => Promise<Response>; urlPattern: string })[]> {
  const found: (Found & { handler: (request: Request, context: unknown) => Promise<Response>; urlPattern: string })[] = [];
  for (const file of walk(APP)
    .filter((file) => path.basename(file) === "route.ts")
    .sort()) {
    const module = (await import(file)) as Record<string, unknown>;
    // Route groups "(name)" are not part of the URL.
    const urlPattern = `/${path.dirname(relative(file))}`.replace(/\/\([^/]+\)/g, "");
    for (const name of HTTP_METHODS) {
      const handler = module[name];
      if (typeof handler === "function") found.push({ key: `${relative(file)}#${name}`, file, name, handler: handler as never, urlPattern });
    }
  }
  return found;
}
