import MarkdownIt from "markdown-it";

/**
 * Markdown for project stories and updates, rendered so that nothing the author types can run:
 * raw HTML is escaped (html: false), every link and image target passes validateLink (http,
 * https, mailto and relative only), and images may only come from the portal's own image route,
 * so a post cannot make readers' browsers call a tracker.
 */

/** Longer input is cut before parsing; the forms allow far less. */
const MAX_RENDER_CHARS = 100_000;
export const OWN_IMAGE = /^\/api\/images\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const ALLOWED_SCHEMES = new Set(["http", "https", "mailto"]);

/** True for http(s), mailto and scheme-less (relative) targets, judged as a browser would read them. */
export function isSafeHref(url: string): boolean {
  // Browsers ignore whitespace and control characters inside a scheme ("java\tscript:").
  const compact = url.replace(/[\u0000-\u0020\u007f-\u009f]/g, "").toLowerCase();
  const scheme = /^([^/?#]*?):/.exec(compact);
  return scheme ? ALLOWED_SCHEMES.has(scheme[1]!) : true;
}

// maxNesting (how deep lists and quotes may nest) is a real option the typings do not list.
const options = { html: false, linkify: true, breaks: true, typographer: false, maxNesting: 20 };
const md = new MarkdownIt("default", options);
md.validateLink = isSafeHref;

const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx]!;
  if (/^(https?:)?\/\//i.test(token.attrGet("href") ?? "")) token.attrSet("rel", "nofollow noopener noreferrer");
  return defaultLinkOpen(tokens, idx, options, env, self);
};

md.renderer.rules.image = (tokens, idx, options) => {
  const token = tokens[idx]!;
  const alt = md.renderer.renderInlineAsText(token.children ?? [], options, {});
  const src = token.attrGet("src") ?? "";
  if (!OWN_IMAGE.test(src)) return md.utils.escapeHtml(alt);
  return `<img src="${md.utils.escapeHtml(src)}" alt="${md.utils.escapeHtml(alt)}" loading="lazy" decoding="async">`;
};

export function renderMarkdown(source: string): string {
  return md.render(source.slice(0, MAX_RENDER_CHARS));
}

/** The text of a Markdown document without its markup, for previews, feeds and mail. */
export function markdownToText(source: string, maxChars = 200): string {
  const parts: string[] = [];
  for (const token of md.parse(source.slice(0, MAX_RENDER_CHARS), {})) {
    if (token.type !== "inline") continue;
    parts.push(
      (token.children ?? [])
        .filter((child) => child.type === "text" || child.type === "code_inline")
        .map((child) => child.content)
        .join(""),
    );
  }
  const text = parts.join(" ").replace(/\s+/g, " ").trim();
  return text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text;
}
