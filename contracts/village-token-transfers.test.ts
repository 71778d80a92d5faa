// VillageToken transfer rules: allowlist, freeze, pause and forced transfer.
import { parseEventLogs, type Address } from "viem";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { villageTokenAbi } from "@/contracts/artifacts/VillageToken";
import { deployToken, expectRevert, holderAddress, mined, startTestChain, tokenAs, wallet, type TestChain } from "./test-chain";

let chain: TestChain;
let address: Address;
// Dev accounts 1 and 2 are allowlisted holders with 100 units each; 3 has keys but no allowlisting.
const [ALICE, BOB, CAROL, SPENDER] = [1, 2, 3, 4];

beforeAll(async () => {
  chain = await startTestChain();
});

afterAll(async () => {
  await chain?.node.stop();
});

const as = (index: number) => tokenAs(chain, address, wallet(chain, index));
const addr = (index: number) => wallet(chain, index).account.address;

beforeEach(async () => {
  address = await deployToken(chain);
  await mined(chain, as(0).write.setAllowlistedBatch([[addr(ALICE), addr(BOB)], true]));
  await mined(
    chain,
    as(0).write.allocateBatch([
      [1n, 2n],
      [addr(ALICE), addr(BOB)],
      [100n, 100n],
    ]),
  );
});

describe("VillageToken transfers", () => {
  it("moves tokens only between allowlisted wallets", async () => {
    await mined(chain, as(ALICE).write.transfer([addr(BOB), 30n]));
    expect(await as(0).read.balanceOf([addr(ALICE)])).toBe(70n);
    expect(await as(0).read.balanceOf([addr(BOB)])).toBe(130n);

    expect(await expectRevert(as(ALICE).write.transfer([addr(CAROL), 1n]), "WalletNotAllowlisted")).toEqual([addr(CAROL)]);
    await mined(chain, as(0).write.setAllowlisted([addr(ALICE), false]));
    expect(await as(0).read.isAllowlisted([addr(ALICE)])).toBe(false);
    expect(await as(0).read.balanceOf([addr(ALICE)])).toBe(70n); // flags and balance share a slot
    await expectRevert(as(ALICE).write.transfer([addr(BOB), 1n]), "WalletNotAllowlisted");
    await expectRevert(as(BOB).write.transfer([addr(ALICE), 1n]), "WalletNotAllowlisted");
    await expectRevert(as(BOB).write.transfer([addr(BOB), 131n]), "ERC20InsufficientBalance");
  });

  it("applies the same rules to transferFrom (the spender need not be allowlisted)", async () => {
    await mined(chain, as(BOB).write.approve([addr(SPENDER), 50n]));
    await mined(chain, as(SPENDER).write.transferFrom([addr(BOB), addr(ALICE), 20n]));
    expect(await as(0).read.balanceOf([addr(ALICE)])).toBe(120n);
    await expectRevert(as(SPENDER).write.transferFrom([addr(BOB), addr(CAROL), 20n]), "WalletNotAllowlisted");
    await expectRevert(as(SPENDER).write.transferFrom([addr(BOB), addr(ALICE), 31n]), "ERC20InsufficientAllowance");
  });

  it("stops a frozen wallet from sending or receiving", async () => {
    await mined(chain, as(0).write.setFrozen([addr(ALICE), true]));
    expect(await as(0).read.isFrozen([addr(ALICE)])).toBe(true);
    expect(await expectRevert(as(ALICE).write.transfer([addr(BOB), 1n]), "WalletFrozen")).toEqual([addr(ALICE)]);
    expect(await expectRevert(as(BOB).write.transfer([addr(ALICE), 1n]), "WalletFrozen")).toEqual([addr(ALICE)]);
    await mined(chain, as(0).write.setFrozen([addr(ALICE), false]));
    await mined(chain, as(ALICE).write.transfer([addr(BOB), 1n]));
  });

  it("stops transfers and allocation while paused, and resumes them after unpause", async () => {
    const token = as(0);
    await mined(chain, token.write.pause());
    expect(await token.read.paused()).toBe(true);
    await expectRevert(as(ALICE).write.transfer([addr(BOB), 1n]), "EnforcedPause");
    await expectRevert(token.write.allocate([3n, addr(ALICE), 1n]), "EnforcedPause");
    await expectRevert(token.write.allocateBatch([[3n], [addr(ALICE)], [1n]]), "EnforcedPause");
    // Enforcement keeps working during an incident.
    await mined(chain, token.write.forcedTransfer([addr(ALICE), addr(BOB), 1n]));
    await mined(chain, token.write.clawback([1n, addr(ALICE), 1n]));

    await mined(chain, token.write.unpause());
    await mined(chain, as(ALICE).write.transfer([addr(BOB), 1n]));
    await mined(chain, token.write.allocate([3n, addr(ALICE), 1n]));
    expect(await token.read.balanceOf([addr(ALICE)])).toBe(98n);
  });
});

describe("VillageToken forced transfer", () => {
  it("recovers the tokens of a frozen (lost) wallet to a new allowlisted wallet", async () => {
    const token = as(0);
    const replacement = holderAddress("replacement");
    await mined(chain, token.write.setFrozen([addr(ALICE), true]));
    await expectRevert(token.write.forcedTransfer([addr(ALICE), replacement, 100n]), "WalletNotAllowlisted");
    await mined(chain, token.write.setAllowlisted([replacement, true]));

    const receipt = await mined(chain, token.write.forcedTransfer([addr(ALICE), replacement, 100n]));
    const [forced] = parseEventLogs({ abi: villageTokenAbi, logs: receipt.logs, eventName: "ForcedTransfer" });
    expect(forced?.args).toEqual({ from: addr(ALICE), to: replacement, units: 100n });
    expect(await token.read.balanceOf([addr(ALICE)])).toBe(0n);
    expect(await token.read.balanceOf([replacement])).toBe(100n);
    expect(await token.read.totalSupply()).toBe(200n);
    await expectRevert(token.write.forcedTransfer([addr(ALICE), replacement, 1n]), "ERC20InsufficientBalance");
  });

  it("may send to the issuer without allowlisting it, but not to a frozen wallet", async () => {
    const token = as(0);
    expect(await token.read.isAllowlisted([addr(0)])).toBe(false);
    await mined(chain, token.write.forcedTransfer([addr(BOB), addr(0), 40n]));
    expect(await token.read.balanceOf([addr(0)])).toBe(40n);

    await mined(chain, token.write.setFrozen([addr(ALICE), true]));
    await expectRevert(token.write.forcedTransfer([addr(BOB), addr(ALICE), 1n]), "WalletFrozen");
    await expectRevert(token.write.setAllowlisted(["0x0000000000000000000000000000000000000000", true]), "ZeroAddress");
  });
});
