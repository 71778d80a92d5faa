import Link from "next/link";
import { buttonClass } from "@/components/ui/button-styles";

type Choice = { code: string; name: string; kana: string; href: string };

/**
 * Choosing a bank or branch without JavaScript: a GET search form on the page itself, whose
 * matches (at most 20, from the server) are links that carry the choice in the address.
 */
export function CodePicker({
  id,
  label,
  queryName,
  query,
  hidden,
  choices,
  more,
  labels,
}: {
  id: string;
  label: string;
  queryName: string;
  query: string;
  hidden: Record<string, string>;
  choices: Choice[] | null;
  more: boolean;
  labels: { search: string; choose: string; noMatches: string; moreMatches: string };
}) {
  return (
    <search>
      <form method="get" action="/account/payout" className="flex flex-wrap items-end gap-2">
        {Object.entries(hidden).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <div className="min-w-0 flex-1">
          <label htmlFor={id} className="block text-sm font-medium text-stone-800">
            {label}
          </label>
          <input
            id={id}
            name={queryName}
            type="search"
            defaultValue={query}
            className="mt-1 block min-h-11 w-full rounded-lg border border-stone-300 bg-white px-3 text-base focus:border-forest-600 focus:outline-none focus:ring-2 focus:ring-forest-100"
          />
        </div>
        <button type="submit" className={buttonClass("primary")}>
          {labels.search}
        </button>
      </form>
      {choices && choices.length === 0 ? <p className="mt-3 text-sm text-stone-600">{labels.noMatches}</p> : null}
      {choices && choices.length > 0 ? (
        <ul className="mt-3 divide-y divide-stone-100 rounded-lg border border-stone-200" data-testid={`${id}-matches`}>
          {choices.map((choice) => (
            <li key={choice.code}>
              <Link href={choice.href} className="flex min-h-11 items-center justify-between gap-3 px-3 py-2 text-sm hover:bg-forest-50">
                <span>
                  <span className="font-mono text-stone-500">{choice.code}</span> <span className="font-semibold">{choice.name}</span> <span className="text-stone-500">{choice.kana}</span>
                </span>
                <span className="font-semibold text-forest-700">{labels.choose} →</span>
              </Link>
            </li>
          ))}
        </ul>
      ) : null}
      {more ? <p className="mt-2 text-xs text-stone-500">{labels.moreMatches}</p> : null}
    </search>
  );
}
