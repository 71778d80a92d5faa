import { renderMarkdown } from "@/lib/markdown/render";

const STYLES =
  "break-words leading-relaxed text-stone-800 [&_a]:font-medium [&_a]:text-forest-700 [&_a]:underline [&_blockquote]:border-l-4 [&_blockquote]:border-stone-200 [&_blockquote]:pl-3 [&_blockquote]:text-stone-600 [&_code]:rounded [&_code]:bg-stone-100 [&_code]:px-1 [&_h1]:mt-5 [&_h1]:text-xl [&_h1]:font-bold [&_h2]:mt-5 [&_h2]:text-lg [&_h2]:font-bold [&_h3]:mt-4 [&_h3]:font-bold [&_img]:my-3 [&_img]:h-auto [&_img]:max-w-full [&_img]:rounded-lg [&_li]:my-1 [&_ol]:list-decimal [&_ol]:pl-6 [&_p]:my-3 [&_pre]:overflow-x-auto [&_pre]:rounded-lg [&_pre]:bg-stone-100 [&_pre]:p-3 [&_table]:my-3 [&_table]:block [&_table]:overflow-x-auto [&_td]:border [&_td]:border-stone-200 [&_td]:px-2 [&_th]:border [&_th]:border-stone-200 [&_th]:px-2 [&_ul]:list-disc [&_ul]:pl-6";

/** Staff-written Markdown; the HTML comes from lib/markdown, which lets nothing executable through. */
export function Markdown({ source, className = "" }: { source: string; className?: string }) {
  // biome-ignore lint/security/noDangerouslySetInnerHtml: lib/markdown renders with html off and checked links
  return <div className={`${STYLES} ${className}`} dangerouslySetInnerHTML={{ __html: renderMarkdown(source) }} />;
}
