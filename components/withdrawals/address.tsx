import { getAddress } from "viem";

/** A checksummed address with its first 6 and last 4 characters emphasised, the ones people compare. */
export function EmphasisedAddress({ address, testId }: { address: string; testId?: string }) {
  const checksummed = getAddress(address);
  return (
    <span className="break-all font-mono text-base" data-testid={testId}>
      <strong className="font-bold text-stone-950">{checksummed.slice(0, 6)}</strong>
      <span className="text-stone-600">{checksummed.slice(6, -4)}</span>
      <strong className="font-bold text-stone-950">{checksummed.slice(-4)}</strong>
    </span>
  );
}
