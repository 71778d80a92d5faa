import { eq } from "drizzle-orm";
import { createWalletClient, http, keccak256, parseTransaction, toHex, type Address, type Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { chainTransactions } from "@/db/schema";
import { demoIssuerAccount, type ChainContext } from "./context";
import { allocateIntent, allowlistIntent } from "./intents";
import { submitTransaction, waitForTransactions } from "./signer-queue";
import { makeOfferingWithToken, startHardhatNode, testChainContext, type HardhatNode } from "@/test/chain-support";

let node: HardhatNode;
let ctx: ChainContext;
let token: Address;

const someAddress = (label: string) => `0x${keccak256(toHex(label)).slice(26)}` as Address;
const rpc = (method: string, params: unknown[] = []) => ctx.client.request({ method: method as never, params: params as never });
const rowOf = async (id: string) => (await getDb().select().from(chainTransactions).where(eq(chainTransactions.id, id)))[0]!;

beforeAll(async () => {
  node = await startHardhatNode();
  ctx = testChainContext(getDb(), node.rpcUrl);
  token = (await makeOfferingWithToken(ctx)).token;
});

afterAll(async () => {
  await node?.stop();
});

describe("signer queue", () => {
  it("fails a transaction refused in simulation with its reason, without using a nonce", async () => {
    const refused = await submitTransaction(getDb(), ctx, allocateIntent(token, [{ orderId: crypto.randomUUID(), seq: 9_999, to: someAddress("stranger"), units: 1 }]));
    const fine = await submitTransaction(getDb(), ctx, allowlistIntent(token, [someAddress("a")]));
    const [failed, confirmed] = await waitForTransactions(ctx, [refused.id, fine.id]);
    expect(failed).toMatchObject({ status: "failed", nonce: null });
    expect(failed!.error).toMatch(/WalletNotAllowlisted/);
    expect(confirmed!.status).toBe("confirmed");
    // No gap: the chain's next nonce follows the last used one.
    expect(await ctx.client.getTransactionCount({ address: ctx.account.address })).toBe(confirmed!.nonce! + 1);
  });

  it("re-sends a stuck transaction with the same nonce and at least 10% higher fees", async () => {
    const stuck = { ...ctx, stuckAfterMs: 300 };
    await rpc("evm_setAutomine", [false]);
    try {
      const row = await submitTransaction(getDb(), ctx, allowlistIntent(token, [someAddress("stuck")]));
      const waiting = waitForTransactions(stuck, [row.id]);
      // Mined only once the re-signed version is on the node: mining earlier would mine the first one.
      const resentAndBroadcast = async () => {
        const current = await rowOf(row.id);
        return current.attempts >= 2 && current.sentAt !== null;
      };
      for (let i = 0; i < 200 && !(await resentAndBroadcast()); i++) await new Promise((r) => setTimeout(r, 50));
      await rpc("evm_mine");
      const [done] = await waiting;
      expect(done!.status).toBe("confirmed");
      const first = parseTransaction(done!.payload!.replaced![0]!.raw);
      const last = parseTransaction(done!.rawTransaction as Hex);
      expect(last.nonce).toBe(first.nonce);
      expect(done!.nonce).toBe(first.nonce);
      expect(last.maxFeePerGas! * 10n).toBeGreaterThanOrEqual(first.maxFeePerGas! * 11n);
      expect(last.maxPriorityFeePerGas! * 10n).toBeGreaterThanOrEqual(first.maxPriorityFeePerGas! * 11n);
      expect((await ctx.client.getTransactionReceipt({ hash: done!.txHash as Hex })).status).toBe("success");
    } finally {
      await rpc("evm_setAutomine", [true]);
    }
  });

  it("resynchronises the nonce from chain when another transaction took it", async () => {
    const outsider = createWalletClient({ account: demoIssuerAccount(), transport: http(node.rpcUrl, { retryCount: 0 }) });
    let taken: number | undefined;
    const racing: ChainContext = {
      ...ctx,
      hooks: {
        // Between storing and sending, something else signs with the same key and nonce.
        beforeBroadcast: async (id) => {
          if (taken !== undefined) return;
          taken = (await rowOf(id)).nonce!;
          await outsider.sendTransaction({ chain: null, to: ctx.account.address, value: 0n, nonce: taken });
        },
      },
    };
    const row = await submitTransaction(getDb(), ctx, allowlistIntent(token, [someAddress("raced")]));
    const [done] = await waitForTransactions(racing, [row.id]);
    expect(done!.status).toBe("confirmed");
    expect(done!.nonce).toBe(taken! + 1);
    expect(done!.payload!.replaced).toHaveLength(1);
  });

  it("records its own transaction when the node answers 'nonce too low' because it is already mined", async () => {
    const early: ChainContext = {
      ...ctx,
      hooks: { beforeBroadcast: async (id) => void (await ctx.client.request({ method: "eth_sendRawTransaction", params: [(await rowOf(id)).rawTransaction as Hex] })) },
    };
    const row = await submitTransaction(getDb(), ctx, allowlistIntent(token, [someAddress("early")]));
    const [done] = await waitForTransactions(early, [row.id]);
    expect(done).toMatchObject({ status: "confirmed", attempts: 1 });
  });
});
