import { randomBytes } from "node:crypto";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { openIssuerKey, sealIssuerKey } from "./issuer-key";

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
});
