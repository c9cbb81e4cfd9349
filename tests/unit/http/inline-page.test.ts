import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { escapeHtml, inlinePageCsp, SHIELD_ICON, scriptJson } from "../../../src/http/inline-page.ts";

/** The policy's directives by name, e.g. `{ "script-src": ["'sha256-…'"] }`. */
function directives(policy: string): Record<string, string[]> {
  return Object.fromEntries(
    policy.split(/;\s*/).map((d) => {
      const [name = "", ...values] = d.trim().split(/\s+/);
      return [name, values];
    }),
  );
}

/** What a browser compares: base64 of the SHA-256 of the element's text as UTF-8. */
function browserHash(text: string): string {
  return `'sha256-${createHash("sha256").update(Buffer.from(text, "utf8")).digest("base64")}'`;
}

describe("scriptJson", () => {
  it("cannot close the script element or open a comment, and parses back to the same value", () => {
    // Prepare
    const value = { text: "</script><script>alert(1)</script>", comment: "<!-- x -->", amp: "a&b" };

    // Act
    const out = scriptJson(value);

    // Assess
    expect(out).not.toMatch(/[<>&]/);
    expect(out).toContain("\\u003c/script\\u003e");
    expect(JSON.parse(out)).toEqual(value);
  });

  it("is pure ASCII: line separators, CJK and astral characters come out as \\u escapes", () => {
    // Prepare
    const value = ["a\u2028b\u2029c", "忘记密码", "🔒 safe", "\u007f"];

    // Act
    const out = scriptJson(value);

    // Assess
    expect(out).toMatch(/^[\x20-\x7e]*$/);
    expect(out).toContain("\\u2028");
    expect(out).toContain("\\u2029");
    expect(out).toContain("\\ud83d\\udd12");
    expect(out).toContain("\\u007f");
    expect(JSON.parse(out)).toEqual(value);
  });

  it("leaves plain ASCII JSON as JSON.stringify writes it", () => {
    const value = { a: [1, true, null], b: 'quote " and \\ backslash\n' };
    expect(scriptJson(value)).toBe(JSON.stringify(value));
  });
});

describe("escapeHtml", () => {
  it("escapes the five characters that matter in text and attribute values", () => {
    expect(escapeHtml(`<a href="x" title='y'>Tom & Jerry</a>`)).toBe(
      "&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;Tom &#38; Jerry&#60;/a&#62;",
    );
  });

  it("escapes an entity again rather than trusting it, and keeps other text as it is", () => {
    expect(escapeHtml("&amp;")).toBe("&#38;amp;");
    expect(escapeHtml("官方客服 · support 24/7")).toBe("官方客服 · support 24/7");
  });
});

describe("inlinePageCsp", () => {
  it("allows exactly the given script and style by their hashes, UTF-8 included", () => {
    // Prepare
    const script = `const s = ${scriptJson({ hi: "你好" })};\nconsole.log("官方", s);`;
    const style = "body { font-family: system-ui; } .x::before { content: '→'; }";

    // Act
    const policy = directives(inlinePageCsp(script, style));

    // Assess
    expect(policy["script-src"]).toEqual([browserHash(script)]);
    expect(policy["style-src"]).toEqual([browserHash(style)]);
  });

  it("changes the hash when one character of the script changes", () => {
    // Act
    const a = directives(inlinePageCsp("let a = 1;", "p{}"));
    const b = directives(inlinePageCsp("let a = 2;", "p{}"));

    // Assess
    expect(a["script-src"]).not.toEqual(b["script-src"]);
    expect(a["style-src"]).toEqual(b["style-src"]);
  });

  it("denies everything else: no unsafe-inline, no other sources, no framing, no forms", () => {
    // Act
    const policy = directives(inlinePageCsp("x", "y"));

    // Assess
    expect(policy).toEqual({
      "default-src": ["'none'"],
      "script-src": [browserHash("x")],
      "style-src": [browserHash("y")],
      "connect-src": ["'self'"],
      "img-src": ["'self'", "data:"],
      "base-uri": ["'none'"],
      "form-action": ["'none'"],
      "frame-ancestors": ["'none'"],
    });
  });
});

describe("SHIELD_ICON", () => {
  it("is an inline SVG hidden from assistive technology, needing no image host", () => {
    expect(SHIELD_ICON).toMatch(/^<svg [^>]*aria-hidden="true"[^>]*>.*<\/svg>$/);
    expect(SHIELD_ICON).not.toMatch(/href|src=|url\(/);
  });
});
