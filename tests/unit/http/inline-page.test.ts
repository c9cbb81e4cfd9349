import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  builtPage,
  cspHash,
  dataJson,
  escapeHtml,
  pageCsp,
  scriptJson,
} from "../../../src/http/inline-page.ts";

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

describe("dataJson", () => {
  it("cannot close its data block, keeps CJK as it is, and parses back", () => {
    const value = { text: "</script><!-- 你好 \u2028", amp: "a&b" };
    const out = dataJson(value);
    expect(out).not.toMatch(/[<>&\u2028]/);
    expect(out).toContain("你好");
    expect(JSON.parse(out)).toEqual(value);
  });
});

describe("pageCsp", () => {
  it("allows exactly the blocks with these hashes, as a browser computes them (UTF-8 included)", () => {
    // Prepare
    const script = `const s = ${scriptJson({ hi: "你好" })};\nconsole.log("官方", s);`;
    const style = "body { font-family: system-ui; } .x::before { content: '→'; }";

    // Act
    const policy = directives(pageCsp({ scripts: [cspHash(script)], styles: [cspHash(style)] }));

    // Assess
    expect(policy["script-src"]).toEqual([browserHash(script)]);
    expect(policy["style-src"]).toEqual([browserHash(style)]);
    expect(cspHash("let a = 1;")).not.toBe(cspHash("let a = 2;"));
  });

  it("denies everything else: no unsafe-inline, no other sources, no framing, no forms", () => {
    // Act
    const policy = directives(pageCsp({ scripts: [cspHash("x")], styles: [cspHash("y")] }));

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

  it("lets exactly the allowed sites frame the page", () => {
    const policy = directives(
      pageCsp({
        scripts: [],
        styles: [],
        frameAncestors: ["https://www.example.com", "https://help.example.com"],
      }),
    );
    expect(policy["frame-ancestors"]).toEqual(["https://www.example.com", "https://help.example.com"]);
  });
});

describe("builtPage", () => {
  it("reads a built page with its hashes, and says what to run when it is missing", () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), "guardline-pages-"));
    writeFileSync(join(dir, "chat.html"), "<!doctype html><p>hi</p>");
    writeFileSync(join(dir, "pages.json"), JSON.stringify({ chat: { scripts: ["'sha256-a'"], styles: [] } }));

    // Act / Assess
    expect(builtPage("chat", dir)).toEqual({
      html: "<!doctype html><p>hi</p>",
      scripts: ["'sha256-a'"],
      styles: [],
    });
    expect(() => builtPage("console", dir)).toThrow('run "npm run build:web"');
    expect(() => builtPage("chat", join(dir, "nowhere"))).toThrow('run "npm run build:web"');
  });
});
