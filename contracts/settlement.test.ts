// VillageSettlement: the buyer's stablecoin to the issuer and the order's tokens to the buyer in one transaction, or neither.
import { getAddress, parseEventLogs, type Address, type Hex, type Log } from "viem";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { villageSettlementAbi } from "@/contracts/artifacts/VillageSettlement";
import { villageTokenAbi } from "@/contracts/artifacts/VillageToken";
import { yenStablecoinAbi } from "@/contracts/artifacts/YenStablecoin";
import { deploySettlement, deployStablecoin, latestTimestamp, randomNonce, settlementAs, signAuthorization, signPermit, stablecoinAs, YEN, type Authorization } from "./stablecoin-test-support";
import { deployToken, expectRevert, mined, startTestChain, tokenAs, wallet, type TestChain } from "./test-chain";

let chain: TestChain;
let token: Address;
let coin: Address;
let settlement: Address;

beforeAll(async () => {
  chain = await startTestChain();
});

afterAll(async () => {
  await chain?.node.stop();
});

// 0 operator and token admin, 1 the buyer's wallet (pays), 2 where the buyer's tokens go, 8 the village treasury.
const buyer = () => wallet(chain, 1);
const recipient = () => wallet(chain, 2).account.address;
const treasury = () => wallet(chain, 8).account.address;
const coinOf = (address: Address) => stablecoinAs(chain, coin, wallet(chain, 0)).read.balanceOf([address]);
const tokenAdmin = () => tokenAs(chain, token, wallet(chain, 0));
const operator = () => settlementAs(chain, settlement, wallet(chain, 0));

beforeEach(async () => {
  token = getAddress(await deployToken(chain));
  coin = await deployStablecoin(chain);
  settlement = await deploySettlement(chain);
  await mined(chain, tokenAdmin().write.grantRole([await tokenAdmin().read.ISSUER_ROLE(), settlement]));
  await mined(chain, tokenAdmin().write.setAllowlisted([recipient(), true]));
  await mined(chain, stablecoinAs(chain, coin, wallet(chain, 0)).write.mint([buyer().account.address, 5_000n * YEN]));
});

/** The stablecoin's Transfer events only (the token's own Transfer has the same signature). */
const coinTransfers = (logs: Log[]) =>
  parseEventLogs({ abi: yenStablecoinAbi, logs, eventName: "Transfer" })
    .filter((log) => log.address.toLowerCase() === coin.toLowerCase())
    .map((log) => log.args);

type Sig = { v: number; r: Hex; s: Hex };

async function receiveAuthorization(value: bigint): Promise<{ auth: Authorization; sig: Sig }> {
  const auth = { from: buyer().account.address, to: settlement, value, validAfter: 0n, validBefore: (await latestTimestamp(chain)) + 600n, nonce: randomNonce("settle") };
  return { auth, sig: await signAuthorization(chain, buyer(), coin, "ReceiveWithAuthorization", auth) };
}

const delivery = (orderSeq: bigint, units = 2n) => ({ token, orderSeq, to: recipient(), units });
const payment = (amount: bigint) => ({ stablecoin: coin, from: buyer().account.address, amount, payee: treasury() });
const signature = (auth: Authorization, sig: Sig) => ({ validAfter: auth.validAfter, validBefore: auth.validBefore, nonce: auth.nonce, ...sig });

async function expectNothingMoved(orderSeq: bigint) {
  expect(await coinOf(buyer().account.address)).toBe(5_000n * YEN);
  expect(await coinOf(treasury())).toBe(0n);
  expect(await coinOf(settlement)).toBe(0n);
  expect(await tokenAdmin().read.isAllocated([orderSeq])).toBe(false);
  expect(await tokenAdmin().read.balanceOf([recipient()])).toBe(0n);
}

describe("settleWithAuthorization", () => {
  it("moves the stablecoin to the payee and allocates the order in one transaction", async () => {
    const { auth, sig } = await receiveAuthorization(2_000n * YEN);
    const receipt = await mined(chain, operator().write.settleWithAuthorization([delivery(7n), payment(2_000n * YEN), signature(auth, sig)]));

    const transfers = coinTransfers(receipt.logs);
    expect(transfers).toEqual([
      { from: buyer().account.address, to: settlement, value: 2_000n * YEN },
      { from: settlement, to: treasury(), value: 2_000n * YEN },
    ]);
    const allocated = parseEventLogs({ abi: villageTokenAbi, logs: receipt.logs, eventName: "Allocated" }).map((log) => log.args);
    expect(allocated).toEqual([{ orderSeq: 7n, to: recipient(), units: 2n }]);
    const settled = parseEventLogs({ abi: villageSettlementAbi, logs: receipt.logs, eventName: "Settled" }).map((log) => log.args);
    expect(settled).toEqual([{ orderSeq: 7n, token, payer: buyer().account.address, to: recipient(), units: 2n, stablecoin: coin, amount: 2_000n * YEN, payee: treasury() }]);

    expect(await coinOf(buyer().account.address)).toBe(3_000n * YEN);
    expect(await coinOf(treasury())).toBe(2_000n * YEN);
    expect(await coinOf(settlement)).toBe(0n);
    expect(await tokenAdmin().read.balanceOf([recipient()])).toBe(2n);
    expect(await tokenAdmin().read.isAllocated([7n])).toBe(true);
  });

  it("reverts on too little balance: the payee gets nothing and the order is not allocated", async () => {
    const { auth, sig } = await receiveAuthorization(6_000n * YEN);
    await expectRevert(operator().write.settleWithAuthorization([delivery(8n), payment(6_000n * YEN), signature(auth, sig)]), "ERC20InsufficientBalance");
    await expectNothingMoved(8n);
    expect(await stablecoinAs(chain, coin, wallet(chain, 0)).read.authorizationState([auth.from, auth.nonce])).toBe(false);
  });

  it("reverts when the amount is not the one signed, and allocates nothing", async () => {
    const { auth, sig } = await receiveAuthorization(2_000n * YEN);
    await expectRevert(operator().write.settleWithAuthorization([delivery(9n), payment(1_000n * YEN), signature(auth, sig)]), "InvalidAuthorizationSignature");
    await expectRevert(operator().write.settleWithAuthorization([delivery(9n), payment(2_001n * YEN), signature(auth, sig)]), "InvalidAuthorizationSignature");
    await expectNothingMoved(9n);
  });

  it("refuses an order already allocated before any money moves (AlreadySettled), and a replayed authorisation", async () => {
    await mined(chain, tokenAdmin().write.allocate([10n, recipient(), 2n]));
    const { auth, sig } = await receiveAuthorization(2_000n * YEN);
    const args = await expectRevert(operator().write.settleWithAuthorization([delivery(10n), payment(2_000n * YEN), signature(auth, sig)]), "AlreadySettled");
    expect(args).toEqual([10n]);
    expect(await coinOf(buyer().account.address)).toBe(5_000n * YEN);
    expect(await coinOf(treasury())).toBe(0n);

    await mined(chain, operator().write.settleWithAuthorization([delivery(11n), payment(2_000n * YEN), signature(auth, sig)]));
    await expectRevert(operator().write.settleWithAuthorization([delivery(12n), payment(2_000n * YEN), signature(auth, sig)]), "AuthorizationAlreadyUsed");
    expect(await coinOf(treasury())).toBe(2_000n * YEN);
    expect(await tokenAdmin().read.isAllocated([12n])).toBe(false);
  });

  it("refuses a payer who is the payee (the treasury paying itself would get the tokens for nothing)", async () => {
    const { auth, sig } = await receiveAuthorization(2_000n * YEN);
    const args = await expectRevert(operator().write.settleWithAuthorization([delivery(15n), { ...payment(2_000n * YEN), payee: buyer().account.address }, signature(auth, sig)]), "PayerIsPayee");
    expect(args).toEqual([15n]);
    await expectNothingMoved(15n);
  });

  it("lets only an operator settle", async () => {
    const { auth, sig } = await receiveAuthorization(2_000n * YEN);
    const outsider = settlementAs(chain, settlement, wallet(chain, 5));
    const args = await expectRevert(outsider.write.settleWithAuthorization([delivery(13n), payment(2_000n * YEN), signature(auth, sig)]), "AccessControlUnauthorizedAccount");
    expect(args).toEqual([wallet(chain, 5).account.address, await operator().read.OPERATOR_ROLE()]);
    await expectNothingMoved(13n);
  });

  it("cannot allocate without the token's issuer role, and then moves no money either", async () => {
    await mined(chain, tokenAdmin().write.revokeRole([await tokenAdmin().read.ISSUER_ROLE(), settlement]));
    const { auth, sig } = await receiveAuthorization(2_000n * YEN);
    await expectRevert(operator().write.settleWithAuthorization([delivery(14n), payment(2_000n * YEN), signature(auth, sig)]), "AccessControlUnauthorizedAccount");
    await expectNothingMoved(14n);
  });
});

describe("settleWithPermit", () => {
  async function permit(value: bigint, signer = buyer()): Promise<{ deadline: bigint; sig: Sig }> {
    const deadline = (await latestTimestamp(chain)) + 600n;
    const owner = buyer().account.address;
    const nonce = await stablecoinAs(chain, coin, wallet(chain, 0)).read.nonces([owner]);
    return { deadline, sig: await signPermit(chain, signer, coin, { owner, spender: settlement, value, nonce, deadline }) };
  }
  const permitSignature = (deadline: bigint, sig: Sig) => ({ validAfter: 0n, validBefore: deadline, nonce: `0x${"0".repeat(64)}` as Hex, ...sig });

  it("moves the stablecoin straight to the payee and allocates in one transaction", async () => {
    const { deadline, sig } = await permit(1_000n * YEN);
    const receipt = await mined(chain, operator().write.settleWithPermit([delivery(20n, 1n), payment(1_000n * YEN), permitSignature(deadline, sig)]));
    const transfers = coinTransfers(receipt.logs);
    expect(transfers).toEqual([{ from: buyer().account.address, to: treasury(), value: 1_000n * YEN }]);
    expect(parseEventLogs({ abi: villageTokenAbi, logs: receipt.logs, eventName: "Allocated" })).toHaveLength(1);
    expect(await coinOf(treasury())).toBe(1_000n * YEN);
    expect(await tokenAdmin().read.balanceOf([recipient()])).toBe(1n);
    expect(await stablecoinAs(chain, coin, wallet(chain, 0)).read.allowance([buyer().account.address, settlement])).toBe(0n);
  });

  it("refuses a permit for less than the amount or signed by someone else, moving nothing", async () => {
    const short = await permit(999n * YEN);
    await expectRevert(operator().write.settleWithPermit([delivery(21n, 1n), payment(1_000n * YEN), permitSignature(short.deadline, short.sig)]), "ERC20InsufficientAllowance");
    const forged = await permit(1_000n * YEN, wallet(chain, 5));
    await expectRevert(operator().write.settleWithPermit([delivery(21n, 1n), payment(1_000n * YEN), permitSignature(forged.deadline, forged.sig)]), "ERC20InsufficientAllowance");
    await expectNothingMoved(21n);
  });
});
