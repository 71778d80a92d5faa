export function ProgressBar({ percent, label }: { percent: number; label: string }) {
  const clamped = Math.max(0, Math.min(100, percent));
  return (
    <div role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={clamped} aria-label={label} className="h-2.5 w-full overflow-hidden rounded-full bg-stone-200">
      <div className="h-full rounded-full bg-forest-600 transition-[width]" style={{ width: `${Math.max(clamped, clamped > 0 ? 2 : 0)}%` }} />
    </div>
  );
}
