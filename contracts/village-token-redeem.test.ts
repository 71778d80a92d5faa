// VillageToken redemption: burns once per redemption seq, while paused and from frozen holders, issuer only.
import { parseEventLogs, type Address } from "viem";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { villageTokenAbi } from "@/contracts/artifacts/VillageToken";
import { deployToken, expectRevert, holderAddress, mined, startTestChain, tokenAs, wallet, type TestChain } from "./test-chain";

let chain: TestChain;
let address: Address;
const [a, b, c] = [holderAddress("redeem-a"), holderAddress("redeem-b"), holderAddress("redeem-c")];
const ZERO = "0x0000000000000000000000000000000000000000";

beforeAll(async () => {
  chain = await startTestChain();
});

afterAll(async () => {
  await chain?.node.stop();
});

beforeEach(async () => {
  address = await deployToken(chain);
  const token = as(0);
  await mined(chain, token.write.setAllowlistedBatch([[a, b, c], true]));
  await mined(
    chain,
    token.write.allocateBatch([
      [1n, 2n, 3n],
      [a, b, c],
      [10n, 20n, 30n],
    ]),
  );
});

const as = (index: number) => tokenAs(chain, address, wallet(chain, index));

describe("VillageToken redeem", () => {
  it("burns a holder's units once per redemption seq and lowers totalSupply", async () => {
    const token = as(0);
    expect(await token.read.isRedeemed([500n])).toBe(false);
    const receipt = await mined(chain, token.write.redeem([500n, a, 10n]));
    const [event] = parseEventLogs({ abi: villageTokenAbi, logs: receipt.logs, eventName: "Redeemed" });
    expect(event?.args).toEqual({ redemptionSeq: 500n, from: a, units: 10n });
    const [transfer] = parseEventLogs({ abi: villageTokenAbi, logs: receipt.logs, eventName: "Transfer" });
    expect(transfer?.args).toEqual({ from: a, to: ZERO, value: 10n });
    expect(await token.read.balanceOf([a])).toBe(0n);
    expect(await token.read.totalSupply()).toBe(50n);
    expect(await token.read.isRedeemed([500n])).toBe(true);

    // The same seq never burns again, not even another holder's units; redemption seqs are not order seqs.
    expect(await expectRevert(token.write.redeem([500n, b, 1n]), "AlreadyRedeemed")).toEqual([500n]);
    expect(await token.read.isRedeemed([1n])).toBe(false);
    expect(await token.read.balanceOf([b])).toBe(20n);
  });

  it("refuses zero units, the zero address and more than the balance", async () => {
    const token = as(0);
    expect(await expectRevert(token.write.redeem([7n, a, 0n]), "ZeroUnits")).toEqual([7n]);
    await expectRevert(token.write.redeem([7n, ZERO, 1n]), "ZeroAddress");
    expect(await expectRevert(token.write.redeem([7n, a, 11n]), "ERC20InsufficientBalance")).toEqual([a, 10n, 11n]);
    // A refused call leaves the seq unused.
    expect(await token.read.isRedeemed([7n])).toBe(false);
    await mined(chain, token.write.redeem([7n, a, 10n]));
  });

  it("works while the token is paused and on a frozen holder", async () => {
    const token = as(0);
    await mined(chain, token.write.setFrozen([b, true]));
    await mined(chain, token.write.pause());
    await mined(chain, token.write.redeem([1n, b, 20n]));
    expect(await token.read.balanceOf([b])).toBe(0n);
    expect(await token.read.paused()).toBe(true);
    expect(await token.read.isFrozen([b])).toBe(true);
    expect(await token.read.totalSupply()).toBe(40n);
  });

  it("lets only the issuer redeem", async () => {
    const admin = as(0);
    const issuer = await admin.read.ISSUER_ROLE();
    await mined(chain, admin.write.grantRole([await admin.read.COMPLIANCE_ROLE(), wallet(chain, 6).account.address]));
    for (const i of [4, 6]) {
      const caller = wallet(chain, i).account.address;
      expect(await expectRevert(as(i).write.redeem([1n, a, 1n]), "AccessControlUnauthorizedAccount")).toEqual([caller, issuer]);
      expect(await expectRevert(as(i).write.redeemBatch([[1n], [a], [1n]]), "AccessControlUnauthorizedAccount")).toEqual([caller, issuer]);
    }
    await mined(chain, admin.write.grantRole([issuer, wallet(chain, 5).account.address]));
    await mined(chain, as(5).write.redeem([1n, a, 10n]));
    expect(await admin.read.totalSupply()).toBe(50n);
  });
});

describe("VillageToken redeemBatch", () => {
  it("burns every holder of the batch, leaving supply and balances at zero", async () => {
    const token = as(0);
    await mined(chain, token.write.setFrozen([c, true]));
    await mined(chain, token.write.pause());
    const seqs = [10n, 11n, 300n];
    const receipt = await mined(chain, token.write.redeemBatch([seqs, [a, b, c], [10n, 20n, 30n]]));
    const events = parseEventLogs({ abi: villageTokenAbi, logs: receipt.logs, eventName: "Redeemed" });
    expect(events.map((log) => log.args)).toEqual([
      { redemptionSeq: 10n, from: a, units: 10n },
      { redemptionSeq: 11n, from: b, units: 20n },
      { redemptionSeq: 300n, from: c, units: 30n },
    ]);
    for (const holder of [a, b, c]) expect(await token.read.balanceOf([holder])).toBe(0n);
    expect(await token.read.totalSupply()).toBe(0n);
    for (const seq of seqs) expect(await token.read.isRedeemed([seq])).toBe(true);
  });

  it("reverts the whole batch on a seen seq, a duplicate, a short balance or mismatched lengths", async () => {
    const token = as(0);
    await mined(chain, token.write.redeem([10n, a, 4n]));
    expect(
      await expectRevert(
        token.write.redeemBatch([
          [11n, 10n],
          [b, a],
          [1n, 1n],
        ]),
        "AlreadyRedeemed",
      ),
    ).toEqual([10n]);
    expect(
      await expectRevert(
        token.write.redeemBatch([
          [12n, 12n],
          [b, c],
          [1n, 1n],
        ]),
        "AlreadyRedeemed",
      ),
    ).toEqual([12n]);
    // The same holder twice: the second item sees what the first left.
    expect(
      await expectRevert(
        token.write.redeemBatch([
          [13n, 14n],
          [b, b],
          [15n, 6n],
        ]),
        "ERC20InsufficientBalance",
      ),
    ).toEqual([b, 5n, 6n]);
    expect(await expectRevert(token.write.redeemBatch([[15n], [b], [0n]]), "ZeroUnits")).toEqual([15n]);
    await expectRevert(token.write.redeemBatch([[15n], [ZERO], [1n]]), "ZeroAddress");
    await expectRevert(token.write.redeemBatch([[15n, 16n], [b], [1n, 1n]]), "LengthMismatch");
    for (const seq of [11n, 12n, 13n, 14n, 15n]) expect(await token.read.isRedeemed([seq])).toBe(false);
    expect(await token.read.balanceOf([b])).toBe(20n);
    expect(await token.read.totalSupply()).toBe(56n);
  });
});
