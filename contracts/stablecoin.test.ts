// YenStablecoin: the dev chain's JPYC look-alike: 18 decimals, EIP-3009 authorisations, EIP-2612 permit.
import { parseEventLogs, parseSignature, type Address } from "viem";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { yenStablecoinAbi } from "@/contracts/artifacts/YenStablecoin";
import { deployStablecoin, latestTimestamp, randomNonce, signAuthorization, signPermit, STABLECOIN_NAME, stablecoinAs, YEN, type Authorization } from "./stablecoin-test-support";
import { expectRevert, mined, startTestChain, wallet, type TestChain } from "./test-chain";

let chain: TestChain;
let coin: Address;

beforeAll(async () => {
  chain = await startTestChain();
});

afterAll(async () => {
  await chain?.node.stop();
});

const payer = () => wallet(chain, 1);
const payee = () => wallet(chain, 2);
const relayer = () => wallet(chain, 3);
const as = (index: number) => stablecoinAs(chain, coin, wallet(chain, index));
const balance = (address: Address) => as(0).read.balanceOf([address]);

beforeEach(async () => {
  coin = await deployStablecoin(chain);
  await mined(chain, as(0).write.mint([payer().account.address, 10_000n * YEN]));
});

async function authorization(overrides: Partial<Authorization> = {}): Promise<Authorization> {
  const now = await latestTimestamp(chain);
  return { from: payer().account.address, to: payee().account.address, value: 1_500n * YEN, validAfter: 0n, validBefore: now + 3_600n, nonce: randomNonce("auth"), ...overrides };
}

const call = (auth: Authorization, sig: { v: number; r: `0x${string}`; s: `0x${string}` }) =>
  [auth.from, auth.to, auth.value, auth.validAfter, auth.validBefore, auth.nonce, sig.v, sig.r, sig.s] as const;

describe("YenStablecoin", () => {
  it("has 18 decimals like JPYC, its name as the EIP-712 domain name, version 1, and lets only the minter mint", async () => {
    expect(await as(0).read.decimals()).toBe(18);
    const [, name, version] = await as(0).read.eip712Domain();
    expect([name, version]).toEqual([STABLECOIN_NAME, "1"]);
    expect(await balance(payer().account.address)).toBe(10_000n * YEN);
    await expectRevert(as(4).write.mint([wallet(chain, 4).account.address, 1n]), "AccessControlUnauthorizedAccount");
  });

  it("moves the stablecoin with a transferWithAuthorization anyone submits, and refuses the same nonce again", async () => {
    const auth = await authorization();
    const sig = await signAuthorization(chain, payer(), coin, "TransferWithAuthorization", auth);
    const receipt = await mined(chain, as(3).write.transferWithAuthorization(call(auth, sig)));
    expect(await balance(payer().account.address)).toBe(8_500n * YEN);
    expect(await balance(payee().account.address)).toBe(1_500n * YEN);
    expect(await balance(relayer().account.address)).toBe(0n);
    expect(await as(0).read.authorizationState([auth.from, auth.nonce])).toBe(true);
    const used = parseEventLogs({ abi: yenStablecoinAbi, logs: receipt.logs, eventName: "AuthorizationUsed" });
    expect(used.map((log) => log.args)).toEqual([{ authorizer: auth.from, nonce: auth.nonce }]);

    await expectRevert(as(3).write.transferWithAuthorization(call(auth, sig)), "AuthorizationAlreadyUsed");
    expect(await balance(payee().account.address)).toBe(1_500n * YEN);
  });

  it("moves it with a receiveWithAuthorization submitted by the payee only", async () => {
    const auth = await authorization();
    const sig = await signAuthorization(chain, payer(), coin, "ReceiveWithAuthorization", auth);
    await expectRevert(as(3).write.receiveWithAuthorization(call(auth, sig)), "CallerMustBePayee");
    expect(await balance(payee().account.address)).toBe(0n);
    await mined(chain, as(2).write.receiveWithAuthorization(call(auth, sig)));
    expect(await balance(payee().account.address)).toBe(1_500n * YEN);
    await expectRevert(as(2).write.receiveWithAuthorization(call(auth, sig)), "AuthorizationAlreadyUsed");
  });

  it("refuses an expired or not yet valid authorisation, another value than signed, and a transfer signature used to receive", async () => {
    const now = await latestTimestamp(chain);
    const expired = await authorization({ validBefore: now - 1n });
    await expectRevert(as(3).write.transferWithAuthorization(call(expired, await signAuthorization(chain, payer(), coin, "TransferWithAuthorization", expired))), "AuthorizationExpired");
    const early = await authorization({ validAfter: now + 3_600n, validBefore: now + 7_200n });
    await expectRevert(as(3).write.transferWithAuthorization(call(early, await signAuthorization(chain, payer(), coin, "TransferWithAuthorization", early))), "AuthorizationNotYetValid");
    const auth = await authorization();
    const sig = await signAuthorization(chain, payer(), coin, "TransferWithAuthorization", auth);
    await expectRevert(as(3).write.transferWithAuthorization(call({ ...auth, value: auth.value + 1n }, sig)), "InvalidAuthorizationSignature");
    await expectRevert(as(2).write.receiveWithAuthorization(call(auth, sig)), "InvalidAuthorizationSignature");
    expect(await balance(payer().account.address)).toBe(10_000n * YEN);
    expect(await as(0).read.authorizationState([auth.from, auth.nonce])).toBe(false);
  });

  it("lets the payer cancel an unused authorisation, which then cannot be used", async () => {
    const auth = await authorization();
    const sig = await signAuthorization(chain, payer(), coin, "TransferWithAuthorization", auth);
    const cancel = await payer().signTypedData({
      domain: { name: STABLECOIN_NAME, version: "1", chainId: await chain.publicClient.getChainId(), verifyingContract: coin },
      types: {
        CancelAuthorization: [
          { name: "authorizer", type: "address" },
          { name: "nonce", type: "bytes32" },
        ],
      },
      primaryType: "CancelAuthorization",
      message: { authorizer: auth.from, nonce: auth.nonce },
    });
    const { r, s, v } = parseSignature(cancel);
    await mined(chain, as(3).write.cancelAuthorization([auth.from, auth.nonce, Number(v), r, s]));
    await expectRevert(as(3).write.transferWithAuthorization(call(auth, sig)), "AuthorizationAlreadyUsed");
    expect(await balance(payee().account.address)).toBe(0n);
  });

  it("sets an allowance with an EIP-2612 permit anyone submits, and refuses a permit replayed or signed by another", async () => {
    const owner = payer().account.address;
    const spender = relayer().account.address;
    const deadline = (await latestTimestamp(chain)) + 3_600n;
    const nonce = await as(0).read.nonces([owner]);
    const sig = await signPermit(chain, payer(), coin, { owner, spender, value: 700n * YEN, nonce, deadline });
    await mined(chain, as(4).write.permit([owner, spender, 700n * YEN, deadline, sig.v, sig.r, sig.s]));
    expect(await as(0).read.allowance([owner, spender])).toBe(700n * YEN);
    await mined(chain, as(3).write.transferFrom([owner, payee().account.address, 700n * YEN]));
    expect(await balance(payee().account.address)).toBe(700n * YEN);
    await expectRevert(as(4).write.permit([owner, spender, 700n * YEN, deadline, sig.v, sig.r, sig.s]), "ERC2612InvalidSigner");

    const forged = await signPermit(chain, wallet(chain, 5), coin, { owner, spender, value: 700n * YEN, nonce: nonce + 1n, deadline });
    await expectRevert(as(4).write.permit([owner, spender, 700n * YEN, deadline, forged.v, forged.r, forged.s]), "ERC2612InvalidSigner");
    expect(await as(0).read.allowance([owner, spender])).toBe(0n);
  });
});
