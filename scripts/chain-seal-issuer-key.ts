import { sealIssuerKey } from "@/lib/chain/issuer-key";
import { env } from "@/lib/env";

/**
 * `npm run chain:seal-issuer-key < key.txt`: reads the issuer's private key (hex) from stdin and
 * prints the value for CHAIN_ISSUER_KEY_SEALED, sealed under the newest custody master key.
 * The key itself is never printed; its address goes to stderr so the operator can check it.
 */
const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const input = Buffer.concat(chunks).toString("utf8").trim();
for (const chunk of chunks) chunk.fill(0);
if (!input) {
  console.error("usage: npm run chain:seal-issuer-key < file-with-the-private-key");
  process.exit(2);
}
try {
  const { address, sealed } = sealIssuerKey(input, env().custodyMasterKeys);
  console.error(`issuer address ${address}; set CHAIN_ISSUER_KEY_SEALED to the line below`);
  console.log(sealed);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
