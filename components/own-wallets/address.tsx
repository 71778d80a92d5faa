/**
 * A checksummed address with its first six and last four characters emphasised, the parts a person
 * compares with what their wallet shows; the whole address stays one selectable string.
 */
export function AddressText({ address, testId }: { address: string; testId?: string }) {
  const head = address.slice(0, 6);
  const middle = address.slice(6, -4);
  const tail = address.slice(-4);
  return (
    <span className="break-all font-mono text-sm" data-testid={testId}>
      <strong className="font-bold text-stone-900">{head}</strong>
      <span className="text-stone-500">{middle}</span>
      <strong className="font-bold text-stone-900">{tail}</strong>
    </span>
  );
}
