/** Stable intent ids (product.md §3). Content files, buttons and analytics refer to these. */
export const INTENTS = [
  "greeting",
  "thanks_bye",
  "password_reset",
  "account_locked",
  "transfer_failed",
  "payment_failed",
  "funds_not_received",
  "topup_howto",
  "topup_missing",
  "withdraw_howto",
  "withdraw_delayed",
  "refund",
  "cancel_payment",
  "account_security",
  "account_compromised",
  "privacy",
  "fees",
  "limits",
  "promotions",
  "response_time",
  "business_hours",
  "contact_support",
  "verify_contact",
  "human_agent",
  "scam_report",
  "feedback",
  "getting_started",
  "out_of_scope",
] as const;
export type IntentId = (typeof INTENTS)[number];

export function isIntentId(value: unknown): value is IntentId {
  return typeof value === "string" && (INTENTS as readonly string[]).includes(value);
}
