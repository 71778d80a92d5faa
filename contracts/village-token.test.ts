// VillageToken issuance: roles, allocation exactly once per order seq, batches, clawback, supply.
import { parseEventLogs, type Address } from "viem";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { villageTokenAbi } from "@/contracts/artifacts/VillageToken";
import { deployToken, expectRevert, holderAddress, mined, startTestChain, tokenAs, wallet, type TestChain } from "./test-chain";

let chain: TestChain;
let address: Address;

beforeAll(async () => {
  chain = await startTestChain();
});

afterAll(async () => {
  await chain?.node.stop();
});

beforeEach(async () => {
  address = await deployToken(chain);
});

const as = (index: number) => tokenAs(chain, address, wallet(chain, index));
const addr = (index: number) => wallet(chain, index).account.address;

async function allowlist(...wallets: Address[]) {
  await mined(chain, as(0).write.setAllowlistedBatch([wallets, true]));
}

describe("VillageToken basics", () => {
  it("has zero decimals, its name and symbol, and gives the admin every role", async () => {
    const token = as(0);
    expect(await token.read.decimals()).toBe(0);
    expect(await token.read.name()).toBe("Village Token");
    expect(await token.read.symbol()).toBe("VIL");
    for (const role of [await token.read.DEFAULT_ADMIN_ROLE(), await token.read.ISSUER_ROLE(), await token.read.COMPLIANCE_ROLE(), await token.read.PAUSER_ROLE()]) {
      expect(await token.read.hasRole([role, addr(0)])).toBe(true);
      expect(await token.read.hasRole([role, addr(4)])).toBe(false);
    }
  });
});

describe("VillageToken roles", () => {
  // 4 has no role; 5 is issuer only, 6 compliance only, 7 pauser only.
  let roles: { admin: `0x${string}`; issuer: `0x${string}`; compliance: `0x${string}`; pauser: `0x${string}` };

  beforeEach(async () => {
    const admin = as(0);
    roles = {
      admin: await admin.read.DEFAULT_ADMIN_ROLE(),
      issuer: await admin.read.ISSUER_ROLE(),
      compliance: await admin.read.COMPLIANCE_ROLE(),
      pauser: await admin.read.PAUSER_ROLE(),
    };
    await mined(chain, admin.write.grantRole([roles.issuer, addr(5)]));
    await mined(chain, admin.write.grantRole([roles.compliance, addr(6)]));
    await mined(chain, admin.write.grantRole([roles.pauser, addr(7)]));
    await allowlist(addr(1), addr(2));
    await mined(chain, admin.write.allocate([1n, addr(1), 10n]));
  });

  async function expectDenied(call: Promise<unknown>, account: Address, role: `0x${string}`) {
    const args = await expectRevert(call, "AccessControlUnauthorizedAccount");
    expect(args).toEqual([account, role]);
  }

  it("lets only the issuer allocate and claw back", async () => {
    for (const i of [4, 6, 7]) {
      await expectDenied(as(i).write.allocate([2n, addr(1), 1n]), addr(i), roles.issuer);
      await expectDenied(as(i).write.allocateBatch([[2n], [addr(1)], [1n]]), addr(i), roles.issuer);
      await expectDenied(as(i).write.clawback([1n, addr(1), 1n]), addr(i), roles.issuer);
    }
    await mined(chain, as(5).write.allocate([2n, addr(1), 1n]));
    await mined(chain, as(5).write.clawback([2n, addr(1), 1n]));
  });

  it("lets only compliance allowlist, freeze and force transfers", async () => {
    for (const i of [4, 5, 7]) {
      await expectDenied(as(i).write.setAllowlisted([addr(3), true]), addr(i), roles.compliance);
      await expectDenied(as(i).write.setAllowlistedBatch([[addr(3)], true]), addr(i), roles.compliance);
      await expectDenied(as(i).write.setFrozen([addr(1), true]), addr(i), roles.compliance);
      await expectDenied(as(i).write.forcedTransfer([addr(1), addr(2), 1n]), addr(i), roles.compliance);
    }
    await mined(chain, as(6).write.setAllowlisted([addr(3), true]));
    await mined(chain, as(6).write.setFrozen([addr(1), true]));
    await mined(chain, as(6).write.forcedTransfer([addr(1), addr(3), 1n]));
  });

  it("lets only the pauser pause and unpause", async () => {
    for (const i of [4, 5, 6]) await expectDenied(as(i).write.pause(), addr(i), roles.pauser);
    await mined(chain, as(7).write.pause());
    for (const i of [4, 5, 6]) await expectDenied(as(i).write.unpause(), addr(i), roles.pauser);
    await mined(chain, as(7).write.unpause());
  });

  it("lets only the admin grant and revoke roles", async () => {
    for (const i of [4, 5, 6, 7]) {
      await expectDenied(as(i).write.grantRole([roles.issuer, addr(i)]), addr(i), roles.admin);
      await expectDenied(as(i).write.revokeRole([roles.issuer, addr(5)]), addr(i), roles.admin);
    }
    await mined(chain, as(0).write.revokeRole([roles.issuer, addr(5)]));
    await expectDenied(as(5).write.allocate([3n, addr(1), 1n]), addr(5), roles.issuer);
  });
});

describe("VillageToken allocation", () => {
  it("refuses wallets that are not allowlisted or are frozen, and zero units", async () => {
    const token = as(0);
    const stranger = holderAddress("stranger");
    await expectRevert(token.write.allocate([1n, stranger, 5n]), "WalletNotAllowlisted");
    await expectRevert(token.write.allocateBatch([[1n], [stranger], [5n]]), "WalletNotAllowlisted");
    await allowlist(stranger);
    await mined(chain, token.write.setFrozen([stranger, true]));
    await expectRevert(token.write.allocate([1n, stranger, 5n]), "WalletFrozen");
    await expectRevert(token.write.allocateBatch([[1n], [stranger], [5n]]), "WalletFrozen");
    await mined(chain, token.write.setFrozen([stranger, false]));
    expect(await expectRevert(token.write.allocate([1n, stranger, 0n]), "ZeroUnits")).toEqual([1n]);
    await mined(chain, token.write.allocate([1n, stranger, 5n]));
    expect(await token.read.balanceOf([stranger])).toBe(5n);
  });

  it("refuses an order seq it has seen, alone, in a batch, and twice within one batch", async () => {
    const token = as(0);
    const [a, b] = [holderAddress("a"), holderAddress("b")];
    await allowlist(a, b);
    await mined(chain, token.write.allocate([7n, a, 3n]));
    expect(await token.read.isAllocated([7n])).toBe(true);
    expect(await token.read.isAllocated([8n])).toBe(false);

    expect(await expectRevert(token.write.allocate([7n, b, 3n]), "AlreadyAllocated")).toEqual([7n]);
    expect(
      await expectRevert(
        token.write.allocateBatch([
          [8n, 7n],
          [a, b],
          [1n, 1n],
        ]),
        "AlreadyAllocated",
      ),
    ).toEqual([7n]);
    expect(
      await expectRevert(
        token.write.allocateBatch([
          [20n, 21n, 20n],
          [a, b, a],
          [1n, 1n, 1n],
        ]),
        "AlreadyAllocated",
      ),
    ).toEqual([20n]);
    // A duplicate in another bitmap word, after the batch has moved on and back.
    expect(
      await expectRevert(
        token.write.allocateBatch([
          [255n, 256n, 255n],
          [a, b, a],
          [1n, 1n, 1n],
        ]),
        "AlreadyAllocated",
      ),
    ).toEqual([255n]);
    // A refused batch leaves nothing behind.
    for (const seq of [8n, 20n, 21n, 255n, 256n]) expect(await token.read.isAllocated([seq])).toBe(false);
    expect(await token.read.totalSupply()).toBe(3n);

    const huge = 2n ** 255n + 3n;
    await mined(
      chain,
      token.write.allocateBatch([
        [255n, 256n, huge],
        [a, b, a],
        [1n, 1n, 1n],
      ]),
    );
    await expectRevert(token.write.allocate([huge, a, 1n]), "AlreadyAllocated");
    await expectRevert(token.write.allocate([256n, a, 1n]), "AlreadyAllocated");
    expect(await token.read.balanceOf([a])).toBe(5n);
    expect(await token.read.balanceOf([b])).toBe(1n);
  });

  it("mints to each holder of a batch and emits Allocated with each order seq", async () => {
    const token = as(0);
    const holders = [1, 2, 3, 4, 5].map((i) => holderAddress(`batch-${i}`));
    await allowlist(...holders);
    const seqs = [100n, 101n, 102n, 300n, 103n];
    const units = [1n, 2n, 3n, 4n, 5n];
    const receipt = await mined(chain, token.write.allocateBatch([seqs, holders, units]));

    const allocated = parseEventLogs({ abi: villageTokenAbi, logs: receipt.logs, eventName: "Allocated" });
    expect(allocated.map((l) => l.args)).toEqual(seqs.map((orderSeq, i) => ({ orderSeq, to: holders[i], units: units[i] })));
    const transfers = parseEventLogs({ abi: villageTokenAbi, logs: receipt.logs, eventName: "Transfer" });
    expect(transfers.map((l) => l.args)).toEqual(holders.map((to, i) => ({ from: "0x0000000000000000000000000000000000000000", to, value: units[i] })));
    for (const [i, holder] of holders.entries()) expect(await token.read.balanceOf([holder])).toBe(units[i]);
    for (const seq of seqs) expect(await token.read.isAllocated([seq])).toBe(true);
    expect(await token.read.totalSupply()).toBe(15n);
    await expectRevert(token.write.allocateBatch([[1n, 2n], [holders[0]!], [1n, 1n]]), "LengthMismatch");
  });
});

describe("VillageToken clawback and supply", () => {
  it("burns a refunded order once, also from a frozen holder, and lowers totalSupply", async () => {
    const token = as(0);
    const holder = holderAddress("refunded");
    await allowlist(holder);
    await mined(chain, token.write.allocate([1n, holder, 10n]));
    await mined(chain, token.write.setFrozen([holder, true]));

    await expectRevert(token.write.clawback([2n, holder, 10n]), "NotAllocated");
    await expectRevert(token.write.clawback([1n, "0x0000000000000000000000000000000000000000", 10n]), "ZeroAddress");
    await expectRevert(token.write.clawback([1n, holder, 11n]), "ERC20InsufficientBalance");
    const receipt = await mined(chain, token.write.clawback([1n, holder, 10n]));
    const [event] = parseEventLogs({ abi: villageTokenAbi, logs: receipt.logs, eventName: "ClawedBack" });
    expect(event?.args).toEqual({ orderSeq: 1n, from: holder, units: 10n });
    expect(await token.read.balanceOf([holder])).toBe(0n);
    expect(await token.read.totalSupply()).toBe(0n);
    expect(await token.read.isClawedBack([1n])).toBe(true);
    expect(await expectRevert(token.write.clawback([1n, holder, 1n]), "AlreadyClawedBack")).toEqual([1n]);
  });

  it("keeps totalSupply equal to allocations minus clawbacks and to the sum of balances", async () => {
    const token = as(0);
    const holders = [0, 1, 2, 3].map((i) => holderAddress(`supply-${i}`));
    await allowlist(...holders);
    let expected = 0n;
    let seq = 1000n;
    for (const [i, holder] of holders.entries()) {
      const units = BigInt(10 * (i + 1));
      await mined(chain, token.write.allocate([seq++, holder, units]));
      expected += units;
    }
    await mined(
      chain,
      token.write.allocateBatch([
        [seq, seq + 1n],
        [holders[0]!, holders[3]!],
        [7n, 9n],
      ]),
    );
    expected += 16n;
    await mined(chain, token.write.clawback([1001n, holders[1]!, 20n]));
    await mined(chain, token.write.clawback([seq + 1n, holders[3]!, 9n]));
    expected -= 29n;

    expect(await token.read.totalSupply()).toBe(expected);
    let sum = 0n;
    for (const holder of holders) sum += await token.read.balanceOf([holder]);
    expect(sum).toBe(expected);
  });
});
