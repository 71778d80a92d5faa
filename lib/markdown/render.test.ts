import { describe, expect, it } from "vitest";
import { isSafeHref, markdownToText, OWN_IMAGE, renderMarkdown } from "./render";

const TAGS = new Set([
  "p",
  "a",
  "img",
  "em",
  "strong",
  "code",
  "pre",
  "ul",
  "ol",
  "li",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "blockquote",
  "hr",
  "br",
  "table",
  "thead",
  "tbody",
  "tr",
  "th",
  "td",
  "s",
]);
const ATTRIBUTES = new Set(["href", "src", "alt", "rel", "title", "loading", "decoding", "style", "start", "class"]);

/** Every tag and attribute in the output is one the renderer is meant to produce, with safe values. */
function assertHarmless(html: string) {
  for (const [, name, attributes] of html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>/g)) {
    expect(TAGS, `tag <${name}> in ${html.slice(0, 300)}`).toContain(name!.toLowerCase());
    // Every attribute is a name with a double-quoted value: nothing unparsed is left in the tag.
    expect(attributes).toMatch(/^(\s[^\s=/>"]+(="[^"]*")?)*\s*\/?$/);
    for (const [, attribute, value = ""] of attributes!.matchAll(/\s([^\s=/>]+)(?:="([^"]*)")?/g)) {
      expect(ATTRIBUTES, `attribute ${attribute} in ${html.slice(0, 300)}`).toContain(attribute!.toLowerCase());
      const decoded = value.replace(/&amp;/g, "&").replace(/&quot;/g, '"');
      if (attribute === "href") expect(isSafeHref(decoded), `href ${decoded}`).toBe(true);
      if (attribute === "src") expect(decoded).toMatch(OWN_IMAGE);
      if (attribute === "style") expect(decoded).toMatch(/^text-align:(left|right|center)$/);
      if (attribute === "class") expect(value).toMatch(/^language-[^"<>]*$/);
    }
  }
  // Outside the tags there is only escaped text: no bracket that a browser would read as markup.
  expect(html.replace(/<\/?[a-zA-Z][^>]*>/g, "")).not.toMatch(/[<>]/);
}

const CORPUS: [string, string][] = [
  ["script tag", "<script>alert(1)</script>"],
  ["script in a paragraph", "Hello <script src=https://evil.example/x.js></script> world"],
  ["event handler on raw html", '<img src=x onerror="alert(1)">'],
  ["svg onload", "<svg/onload=alert(1)>"],
  ["iframe", '<iframe src="javascript:alert(1)"></iframe>'],
  ["style tag", "<style>body{background:url(javascript:alert(1))}</style>"],
  ["html comment and cdata", "<!-- x --><![CDATA[<script>alert(1)</script>]]>"],
  ["javascript link", "[click](javascript:alert(1))"],
  ["javascript link, upper case", "[click](JAVASCRIPT:alert(1))"],
  ["javascript link with entity", "[click](javascript&colon;alert(1))"],
  ["javascript link with numeric entity", "[click](&#106;avascript:alert(1))"],
  ["javascript link with tab", "[click](java\tscript:alert(1))"],
  ["javascript link with leading space in angle brackets", "[click](< javascript:alert(1)>)"],
  ["javascript autolink", "<javascript:alert(1)>"],
  ["vbscript link", "[x](vbscript:msgbox(1))"],
  ["data link", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"],
  ["data image", "![x](data:image/png;base64,iVBORw0KGgo=)"],
  ["data svg image", "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)"],
  ["external image (tracker)", "![pixel](https://tracker.example/p.gif)"],
  ["image with javascript", "![x](javascript:alert(1))"],
  ["reference link", "[x][r]\n\n[r]: javascript:alert(1)"],
  ["link title breaking out", '[x](https://example.jp "a\\" onmouseover=\\"alert(1)")'],
  ["alt text breaking out", '![a" onerror="alert(1)](/api/images/00000000-0000-0000-0000-000000000000)'],
  ["code fence language", '```"><script>alert(1)</script>\ncode\n```'],
  ["inline html in emphasis", "**<b onclick=alert(1)>bold</b>**"],
  ["markdown link with html text", "[<img src=x onerror=alert(1)>](https://example.jp)"],
  ["table cell", "| a |\n|---|\n| <script>alert(1)</script> |"],
  ["linkified javascript", "see javascript:alert(1) and www.example.jp"],
  ["protocol-relative", "[x](//evil.example/)"],
  ["file link", "[x](file:///etc/passwd)"],
];

describe("hostile Markdown renders harmlessly", () => {
  it.each(CORPUS)("%s", (_name, source) => {
    assertHarmless(renderMarkdown(source));
  });

  it("shows raw HTML as text instead of dropping it", () => {
    expect(renderMarkdown("<script>alert(1)</script>")).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("keeps ordinary Markdown: emphasis, lists, links, and images from the portal", () => {
    const html = renderMarkdown(
      "## 間伐\n\n**18ヘクタール**を間伐しました。\n\n- 北斜面\n- 南斜面\n\n[村のサイト](https://village.example.jp)\n\n![作業の様子](/api/images/0b0e7c56-3f6f-4a59-9d3b-0b9a1c2d3e4f)",
    );
    expect(html).toContain("<h2>間伐</h2>");
    expect(html).toContain("<strong>18ヘクタール</strong>");
    expect(html).toContain("<li>北斜面</li>");
    expect(html).toContain('<a href="https://village.example.jp" rel="nofollow noopener noreferrer">村のサイト</a>');
    expect(html).toContain('<img src="/api/images/0b0e7c56-3f6f-4a59-9d3b-0b9a1c2d3e4f" alt="作業の様子" loading="lazy" decoding="async">');
    assertHarmless(html);
  });

  it("renders a huge or pathological input quickly and harmlessly", () => {
    const inputs = [
      `${"[".repeat(200_000)}x${"](javascript:alert(1))".repeat(1000)}`,
      "*a **a ".repeat(50_000),
      `${">".repeat(100_000)} deep`,
      `${"- ".repeat(50_000)}x`,
      "<script>".repeat(100_000),
      "`".repeat(100_000),
    ];
    for (const input of inputs) {
      const started = performance.now();
      const html = renderMarkdown(input);
      expect(performance.now() - started).toBeLessThan(3_000);
      assertHarmless(html);
    }
  });

  it("gives plain text for previews", () => {
    expect(markdownToText("## 見出し\n\n**太字**と[リンク](https://example.jp)。<script>x</script>", 100)).toBe("見出し 太字とリンク。<script>x</script>");
    expect(markdownToText("あ".repeat(300), 10)).toBe(`${"あ".repeat(9)}…`);
  });
});
