// Gas of VillageToken.allocateBatch per new holder, against one plain OZ mint per new holder.
import { getContract, type Address } from "viem";
import { afterAll, beforeAll, expect, it } from "vitest";
import { baselineTokenAbi } from "@/contracts/artifacts/BaselineToken";
import { deployBaseline, deployToken, holderAddress, mined, startTestChain, tokenAs, wallet, type TestChain } from "./test-chain";

let chain: TestChain;

beforeAll(async () => {
  chain = await startTestChain();
});

afterAll(async () => {
  await chain?.node.stop();
});

const BATCH = 100;
const SINGLES = 10;

it(`allocates a batch of ${BATCH} new holders for less gas per holder than a plain mint`, async () => {
  const token = tokenAs(chain, await deployToken(chain), wallet(chain, 0));
  const holders = (prefix: string, n: number): Address[] => Array.from({ length: n }, (_, i) => holderAddress(`${prefix}-${i}`));
  const warmup = holderAddress("warmup");
  const singles = holders("single", SINGLES);
  const batch = holders("batch", BATCH);

  const allowlisted = await mined(chain, token.write.setAllowlistedBatch([batch, true]));
  await mined(chain, token.write.setAllowlistedBatch([[warmup, ...singles], true]));
  // The first allocation ever pays for the zero-to-non-zero supply and bitmap words: not measured.
  await mined(chain, token.write.allocate([1n, warmup, 1n]));
  let singleGas = 0n;
  for (const [i, holder] of singles.entries()) {
    singleGas += (await mined(chain, token.write.allocate([BigInt(2 + i), holder, 5n]))).gasUsed;
  }
  const seqs = batch.map((_, i) => BigInt(2 + SINGLES + i));
  const started = performance.now();
  const batchReceipt = await mined(chain, token.write.allocateBatch([seqs, batch, batch.map(() => 5n)]));
  const batchMs = performance.now() - started;

  const baselineAddress = await deployBaseline(chain);
  const owner = wallet(chain, 0);
  const baseline = getContract({ address: baselineAddress, abi: baselineTokenAbi, client: { public: chain.publicClient, wallet: owner } });
  await mined(chain, baseline.write.mint([warmup, 1n]));
  let baselineGas = 0n;
  for (const holder of holders("baseline", SINGLES)) baselineGas += (await mined(chain, baseline.write.mint([holder, 5n]))).gasUsed;

  const perHolderBatch = Number(batchReceipt.gasUsed) / BATCH;
  const perHolderAllowlist = Number(allowlisted.gasUsed) / BATCH;
  const perSingle = Number(singleGas) / SINGLES;
  const perBaseline = Number(baselineGas) / SINGLES;
  console.log(
    [
      `allocateBatch of ${BATCH} new holders: ${batchReceipt.gasUsed} gas, ${perHolderBatch.toFixed(0)} per holder (${batchMs.toFixed(0)} ms)`,
      `setAllowlistedBatch of ${BATCH}: ${perHolderAllowlist.toFixed(0)} per holder (allowlist + batch allocation: ${(perHolderAllowlist + perHolderBatch).toFixed(0)})`,
      `single allocate to a new holder: ${perSingle.toFixed(0)} gas`,
      `BaselineToken.mint to a new holder: ${perBaseline.toFixed(0)} gas`,
    ].join("\n"),
  );

  for (const holder of batch) expect(await token.read.balanceOf([holder])).toBe(5n);
  expect(await token.read.totalSupply()).toBe(1n + 5n * BigInt(SINGLES + BATCH));
  expect(perHolderBatch).toBeLessThanOrEqual(32_000);
  expect(perHolderBatch).toBeLessThan(perBaseline);
});
