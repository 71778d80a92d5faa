import { randomBytes } from "node:crypto";
import { generatePrivateKey, mnemonicToAccount, privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { sealSecret } from "@/lib/custody/envelope";
import { WELL_KNOWN_DEV_ACCOUNTS } from "./dev-accounts";
import { openIssuerKey, rewrapIssuerKey, sealIssuerKey } from "./issuer-key";

const keys = new Map([[1, randomBytes(32)]]);

describe("sealed issuer key", () => {
  it("round-trips through CHAIN_ISSUER_KEY_SEALED without the key appearing in it", () => {
    const privateKey = generatePrivateKey();
    const { address, sealed } = sealIssuerKey(privateKey, keys);
    expect(address).toBe(privateKeyToAccount(privateKey).address);
    const decoded = Buffer.from(sealed, "base64").toString("utf8");
    expect(JSON.parse(decoded)).toMatchObject({ address, masterKeyVersion: 1 });
    expect(decoded).not.toContain(privateKey.slice(2));
    expect(openIssuerKey(sealed, keys).address).toBe(address);
  });

  it("refuses another master key, a changed address and a malformed key", () => {
    const { sealed } = sealIssuerKey(generatePrivateKey().slice(2), keys);
    expect(() => openIssuerKey(sealed, new Map([[1, randomBytes(32)]]))).toThrow(/authentication/);
    const moved = JSON.parse(Buffer.from(sealed, "base64").toString("utf8"));
    moved.address = privateKeyToAccount(generatePrivateKey()).address;
    expect(() => openIssuerKey(Buffer.from(JSON.stringify(moved)).toString("base64"), keys)).toThrow();
    expect(() => sealIssuerKey("0x1234", keys)).toThrow(/32-byte/);
  });

  it("refuses a well-known Hardhat dev account outside demo mode, however it was sealed", () => {
    const devKey = WELL_KNOWN_DEV_ACCOUNTS[0]![1];
    expect(() => sealIssuerKey(devKey, keys, { allowDevKey: false })).toThrow(/public Hardhat dev account 0/);
    // Sealed by hand (as an older seal script would have done): refused when opened.
    const address = privateKeyToAccount(devKey as `0x${string}`).address;
    const envelope = sealSecret(Buffer.from(devKey.slice(2), "hex"), address, keys);
    const sealed = Buffer.from(JSON.stringify({ address, ...envelope })).toString("base64");
    expect(() => openIssuerKey(sealed, keys, { allowDevKey: false })).toThrow(/public Hardhat dev account 0/);
    expect(openIssuerKey(sealed, keys, { allowDevKey: true }).address).toBe(address);
  });

  it("lists the 20 accounts of the public test mnemonic", () => {
    const mnemonic = "test test test test test test test test test test test junk";
    for (const [index, [address, key]] of WELL_KNOWN_DEV_ACCOUNTS.entries()) {
      expect(mnemonicToAccount(mnemonic, { addressIndex: index }).address).toBe(address);
      expect(privateKeyToAccount(key as `0x${string}`).address).toBe(address);
    }
    expect(WELL_KNOWN_DEV_ACCOUNTS).toHaveLength(20);
  });

  it("re-seals under the newest master key version without opening the key", () => {
    const both = new Map([...keys, [2, randomBytes(32)]]);
    const { address, sealed } = sealIssuerKey(generatePrivateKey(), keys);
    const rewrapped = rewrapIssuerKey(sealed, both);
    expect(rewrapped).toMatchObject({ masterKeyVersion: 2, changed: true });
    expect(openIssuerKey(rewrapped.sealed, new Map([[2, both.get(2)!]])).address).toBe(address);
    expect(rewrapIssuerKey(rewrapped.sealed, both)).toEqual({ sealed: rewrapped.sealed, masterKeyVersion: 2, changed: false });
  });
});
