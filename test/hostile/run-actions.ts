import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ActionState } from "@/lib/actions/core";
import type { Locale } from "@/lib/i18n/catalog";
import { configurePayments, startPaymentsHarness } from "@/test/orders/harness";
import { as } from "@/test/session-mock";
import { schemaOf } from "./action-mocks";
import { discoverActions } from "./discover";
import { formFields, hostileForm, toFormData } from "./form-shape";
import { INVARIANTS_HOLD, ledgerInvariants } from "./invariants";
import { fuzzParameters } from "./arbitraries";
import { leaksIn } from "./leaks";
import { refusingChain } from "./no-chain";
import { type ActionGroup, ACTIONS } from "./targets";
import { type Caller, hostileWorld, idPools } from "./world";

const CALLERS: Caller[] = ["anonymous", "investor", "otherInvestor", "staffOfOtherIssuer", "staffOfIssuer", "admin"];

type Action = (state: ActionState, data: FormData) => Promise<ActionState>;
type Outcome = { state: ActionState } | { redirect: string } | { httpError: number };

/** A request that hangs is as bad as one that fails: the page never answers. */
const ANSWER_WITHIN_MS = 15_000;

/** Next's control flow (redirect, notFound, forbidden) is an answer, anything else thrown is a 5xx. */
async function call(action: Action, data: FormData): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ANSWER_WITHIN_MS / 1000} s`)), ANSWER_WITHIN_MS);
  });
  try {
    return { state: await Promise.race([action({ status: "idle" }, data), hung]) };
  } catch (error) {
    const digest = (error as { digest?: unknown }).digest;
    if (typeof digest === "string" && digest.startsWith("NEXT_REDIRECT")) return { redirect: digest.split(";")[2]! };
    if (typeof digest === "string" && digest.startsWith("NEXT_HTTP_ERROR_FALLBACK")) return { httpError: Number(digest.split(";")[1]) };
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** What a hand-made request to an action's id can send where the form goes: any value React's reply format carries. */
const NOT_A_FORM = fc.oneof(fc.constantFrom(undefined, null, "", "title=x", 0, Number.NaN, [], {}), fc.jsonValue());

/** The one place an action may send the browser off the site: the order's Stripe Checkout page (or the local emulator's). */
const CHECKOUT = /^(https:\/\/checkout\.stripe\.com\/|http:\/\/(localhost|127\.0\.0\.1):\d+\/checkout\/)cs_\w+$/;

/** What is wrong with one answer: a crash logged by the wrapper, an untyped state, a leak, a redirect off the site. */
function problemsOf(outcome: Outcome, crashes: unknown[]): string[] {
  const problems = crashes.map((error) => `unexpected error (a 5xx): ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  if ("redirect" in outcome) {
    if (!/^\/(?![/\\])/.test(outcome.redirect) && !CHECKOUT.test(outcome.redirect)) problems.push(`redirect off the site: ${outcome.redirect}`);
    return problems;
  }
  if ("httpError" in outcome) return outcome.httpError >= 500 ? [...problems, `HTTP ${outcome.httpError}`] : problems;
  const { state } = outcome;
  if (!["ok", "invalid", "error"].includes(state?.status)) problems.push(`untyped state ${JSON.stringify(state)?.slice(0, 200)}`);
  // `values` gives the form its own text back (React escapes it); everything else is the portal's words.
  const shown = JSON.stringify({ message: state?.message, fieldErrors: state?.fieldErrors, data: state?.data }) ?? "";
  for (const leak of leaksIn(shown)) problems.push(`${leak} in the answer: ${shown.slice(0, 300)}`);
  if (shown.length > 20_000) problems.push(`answer of ${shown.length} characters (input echoed?)`);
  return problems;
}

/**
 * Declares the fuzz suite of one group of ACTIONS: every action of the group, 1,000 hostile forms
 * each from every kind of caller, then the ledger invariants. Call with top-level await.
 */
export async function fuzzActionGroup(group: ActionGroup) {
  const port = await configurePayments();
  const chain = await refusingChain();
  const only = process.env.FUZZ_ONLY;
  const targets = (await discoverActions()).filter((target) => ACTIONS[target.key]?.group === group && (!only || target.key.includes(only)));
  let world: Awaited<ReturnType<typeof hostileWorld>>;
  let harness: Awaited<ReturnType<typeof startPaymentsHarness>>;
  const crashes: unknown[] = [];

  describe(`hostile input to the ${group} actions`, () => {
    beforeAll(async () => {
      harness = await startPaymentsHarness(port);
      world = await hostileWorld();
      vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
        if (args[0] === "[action]") crashes.push(args[1]);
      });
    });
    afterAll(async () => {
      vi.restoreAllMocks();
      await harness?.stop();
      await chain.stop();
    });

    it("starts from a ledger whose invariants hold", async () => {
      expect(await ledgerInvariants()).toEqual(INVARIANTS_HOLD);
    });

    for (const target of targets) {
      it(`${target.key}: typed answers only, nothing leaked`, { timeout: 300_000 }, async () => {
        const fields = formFields(schemaOf(target.action));
        const pools = await idPools(ACTIONS[target.key]!.pools);
        const sent = fc.oneof({ weight: 9, arbitrary: hostileForm(fields, pools).map((form) => toFormData(form.entries)) }, { weight: 1, arbitrary: NOT_A_FORM });
        const property = fc.asyncProperty(fc.constantFrom(...CALLERS), fc.constantFrom<Locale>("ja", "en"), sent, async (caller, locale, data) => {
          as.user = world.callers[caller];
          as.locale = locale;
          crashes.length = 0;
          const outcome = await call(target.action as Action, data as FormData);
          expect(problemsOf(outcome, crashes)).toEqual([]);
        });
        await fc.assert(property, fuzzParameters());
      });
    }

    it("leaves the ledger invariants holding", async () => {
      expect(await ledgerInvariants()).toEqual(INVARIANTS_HOLD);
    });
  });
}
