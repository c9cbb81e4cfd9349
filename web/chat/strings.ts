/** The chat page's strings (content/ui.yaml `chat:`): the keys the page needs in every locale. */
export const CHAT_KEYS = [
  "title",
  "notice",
  "label",
  "inputHint",
  "send",
  "error",
  "network",
  "tooLong",
  "historyError",
  "notSent",
  "you",
  "bot",
  "agent",
  "empty",
  "log",
] as const;
export type ChatKey = (typeof CHAT_KEYS)[number];
export type ChatStrings = Readonly<Record<ChatKey, string>>;

/** What scripts/build-web.ts puts into the page's `#config` block. */
export interface ChatConfig {
  maxChars: number;
  strings: Readonly<Record<"zh-Hans" | "zh-Hant" | "en", ChatStrings>>;
}
