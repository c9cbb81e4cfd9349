import type { Locale } from "../core/locale.ts";
import type { ForgetStep } from "./forget.ts";
import type { AnswerableEvent, InboundMessage } from "./types.ts";

/** What every platform's parser decides an answerable event is, before it knows its address. */
export type ParsedEvent =
  | { kind: "inbound"; message: InboundMessage }
  | { kind: "forget"; step: ForgetStep; locale?: Locale | undefined }
  | { kind: "unsupported" | "expired" | "modal"; locale?: Locale | undefined };

/** A parsed event as the turn sees it: addressed to `to`, notices named by their message. */
export function addressed<To>(event: ParsedEvent, to: To, userKey: string): AnswerableEvent<To> {
  if (event.kind === "inbound") return { kind: "inbound", to, message: event.message };
  const common = { to, userKey, localeHint: event.locale };
  switch (event.kind) {
    case "forget":
      return { kind: "forget", ...common, step: event.step };
    case "unsupported":
      return { kind: "notice", ...common, notice: "unsupportedMessage" };
    case "expired":
      return { kind: "notice", ...common, notice: "expiredButton" };
    case "modal":
      return { kind: "prompt", ...common };
  }
}
