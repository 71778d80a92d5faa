import "server-only";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * Envelope encryption for custodial keys: each secret is sealed with AES-256-GCM under its own
 * random data key, and the data key is sealed under a versioned master key. Both seals are bound
 * to the wallet address (additional authenticated data), so a ciphertext moved to another row fails.
 */

export class CustodyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CustodyError";
  }
}

export type MasterKeys = Map<number, Buffer>;

export type SealedKey = { encryptedKey: string; wrappedDataKey: string; masterKeyVersion: number };

const encode = (...parts: Buffer[]) => parts.map((part) => part.toString("base64url")).join(".");

function seal(key: Buffer, plaintext: Buffer, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return encode(iv, ciphertext, cipher.getAuthTag());
}

function open(key: Buffer, sealed: string, aad: string, what: string): Buffer {
  const parts = sealed.split(".").map((part) => Buffer.from(part, "base64url"));
  if (parts.length !== 3 || parts[0]!.length !== 12 || parts[2]!.length !== 16) {
    throw new CustodyError(`${what} is malformed`);
  }
  const [iv, ciphertext, tag] = parts as [Buffer, Buffer, Buffer];
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv);
    decipher.setAAD(Buffer.from(aad, "utf8"));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    throw new CustodyError(`${what} failed authentication: it was altered, or the key is wrong`);
  }
}

export function currentMasterVersion(keys: MasterKeys): number {
  return Math.max(...keys.keys());
}

function masterKey(keys: MasterKeys, version: number): Buffer {
  const key = keys.get(version);
  if (!key) throw new CustodyError(`master key version ${version} is not configured`);
  return key;
}

const dataKeyAad = (address: string, version: number) => `wallet-data-key:${address.toLowerCase()}:v${version}`;
const secretAad = (address: string) => `wallet-key:${address.toLowerCase()}`;

export function sealSecret(secret: Buffer, address: string, keys: MasterKeys): SealedKey {
  const version = currentMasterVersion(keys);
  const dataKey = randomBytes(32);
  try {
    return {
      encryptedKey: seal(dataKey, secret, secretAad(address)),
      wrappedDataKey: seal(masterKey(keys, version), dataKey, dataKeyAad(address, version)),
      masterKeyVersion: version,
    };
  } finally {
    dataKey.fill(0);
  }
}

export function openSecret(sealed: SealedKey, address: string, keys: MasterKeys): Buffer {
  const dataKey = open(masterKey(keys, sealed.masterKeyVersion), sealed.wrappedDataKey, dataKeyAad(address, sealed.masterKeyVersion), "wallet data key");
  try {
    return open(dataKey, sealed.encryptedKey, secretAad(address), "wallet key");
  } finally {
    dataKey.fill(0);
  }
}

/** Re-wraps only the data key under the current master version; the sealed secret is untouched. */
export function rewrapDataKey(sealed: SealedKey, address: string, keys: MasterKeys): SealedKey {
  const target = currentMasterVersion(keys);
  if (sealed.masterKeyVersion === target) return sealed;
  const dataKey = open(masterKey(keys, sealed.masterKeyVersion), sealed.wrappedDataKey, dataKeyAad(address, sealed.masterKeyVersion), "wallet data key");
  try {
    return {
      encryptedKey: sealed.encryptedKey,
      wrappedDataKey: seal(masterKey(keys, target), dataKey, dataKeyAad(address, target)),
      masterKeyVersion: target,
    };
  } finally {
    dataKey.fill(0);
  }
}
