import type { IntentId } from "./intents.ts";

/** What the dialogue policy decides to do: its replies and the signals around them. */

export interface Button {
  id: string;
  label: string;
}

export interface Reply {
  text: string;
  buttons?: Button[];
}

export type HandoffReason = "requested" | "scam_report" | "scam_signal";

export type Action =
  | { type: "reply"; reply: Reply }
  | { type: "handoff"; priority: "normal" | "urgent"; reason: HandoffReason }
  | { type: "feedback"; intent: IntentId; helpful: boolean }
  /** Marks the conversation urgent for agents without handing it off (a secret was pasted). */
  | { type: "flag"; reason: "secret_shared" };
