import { describe, expect, it } from "vitest";
import { embedOptions, MAX_GREETING_CHARS } from "../../../web/chat/embed.ts";
import { format, pickLocale, preferredLocale } from "../../../web/shared/locale.ts";
import { chatUrl, widgetOptions } from "../../../web/widget/options.ts";

describe("the widget's options, from the operator's snippet", () => {
  it("reads colour, position, greeting and language, and opens the chat embedded for this site", () => {
    // Act
    const options = widgetOptions(
      "https://support.example.com/widget.js?v=2",
      { color: "#0a7d44", position: "left", greeting: "  歡迎！ ", lang: "zh-HK" },
      "en",
      "en-US",
    );

    // Assess
    expect(options).toEqual({
      base: "https://support.example.com",
      locale: "zh-Hant",
      position: "left",
      color: "#0a7d44",
      greeting: "歡迎！",
    });
    const url = new URL(chatUrl(options, "https://www.example.com"));
    expect(url.origin).toBe("https://support.example.com");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      embed: "1",
      host: "https://www.example.com",
      lang: "zh-Hant",
      greeting: "歡迎！",
      accent: "#0a7d44",
    });
  });

  it("ignores what it does not understand: a CSS injection as colour, an unknown position", () => {
    const options = widgetOptions(
      "https://support.example.com/widget.js",
      { color: "red; background: url(https://evil.example)", position: "top" },
      "",
      "zh-CN",
    );
    expect(options).toEqual({ base: "https://support.example.com", locale: "zh-Hans", position: "right" });
  });

  it("follows the page's own language before the browser's", () => {
    expect(widgetOptions("https://s.example/widget.js", {}, "zh-Hant-TW", "en-US").locale).toBe("zh-Hant");
    expect(widgetOptions("https://s.example/widget.js", {}, "", "en-GB").locale).toBe("en");
  });
});

describe("the embedded chat's options, from the frame's query", () => {
  it("is off without embed=1, whatever else the query says", () => {
    expect(embedOptions("?lang=zh-Hant&greeting=hi")).toEqual({ embedded: false });
  });

  it("keeps well-formed values and drops hostile ones", () => {
    // Prepare
    const query = new URLSearchParams({
      embed: "1",
      host: "javascript:alert(1)",
      lang: "zh-TW",
      greeting: `<img src=x onerror=alert(1)>\u202e${"長".repeat(300)}`,
      accent: "#12345g",
    });

    // Act
    const options = embedOptions(`?${query}`);

    // Assess: the greeting stays text (rendered with textContent), bidi controls become spaces
    expect(options.embedded).toBe(true);
    expect(options.host).toBeUndefined();
    expect(options.accent).toBeUndefined();
    expect(options.locale).toBe("zh-Hant");
    expect(options.greeting?.length).toBe(MAX_GREETING_CHARS);
    expect(options.greeting).not.toContain("\u202e");
    expect(embedOptions("?embed=1&host=https://www.example.com:8443&accent=%23abc")).toEqual({
      embedded: true,
      host: "https://www.example.com:8443",
      accent: "#abc",
    });
  });
});

describe("page languages", () => {
  it("maps browser tags to the three languages by script, then region", () => {
    expect(pickLocale("zh-CN")).toBe("zh-Hans");
    expect(pickLocale("zh_Hant_HK")).toBe("zh-Hant");
    expect(pickLocale("zh-MO")).toBe("zh-Hant");
    expect(pickLocale("zh-Hans-HK")).toBe("zh-Hans");
    expect(pickLocale("ja-JP")).toBe("en");
    expect(pickLocale(undefined)).toBe("en");
    expect(preferredLocale(["fr-FR", "zh-TW", "en"])).toBe("zh-Hant");
    expect(preferredLocale(["fr-FR", "de"])).toBe("en");
  });

  it("fills {{name}}s and leaves an unknown one visible", () => {
    expect(format("at most {{max}} characters, {{other}}", { max: 4000 })).toBe(
      "at most 4000 characters, {{other}}",
    );
  });
});
