/**
 * Settings a test file needs, set before the portal first reads them (lib/env.ts validates
 * process.env once, on first use): call it at the top of the file or in beforeAll before any action runs.
 */
export function setTestSettings(settings: Record<string, string>): void {
  Object.assign(process.env, settings);
}
