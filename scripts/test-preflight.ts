import { runPreflight } from "./lib/test-preflight";

/** `npm test` runs this first: chromium and the CJK fonts are installed (as root), or the one command to run is printed. */
process.exit(runPreflight((line) => console.log(`[preflight] ${line}`)));
