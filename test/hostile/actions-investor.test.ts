import "@/test/session-mock";
import "./action-mocks";
import { fuzzActionGroup } from "./run-actions";

// The investor group of test/hostile/targets.ts: FUZZ_RUNS (default 1,000) hostile forms per action.
await fuzzActionGroup("investor");
