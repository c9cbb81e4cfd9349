import { createHmac } from "node:crypto";

export const PHONE_NUMBER_ID = "106540352242922";

/** A WhatsApp Cloud API notification carrying `messages` (each gets `from`, an id and a timestamp unless given). */
export function whatsappNotification(
  from: string,
  messages: Record<string, unknown>[],
  phoneNumberId = PHONE_NUMBER_ID,
): Record<string, unknown> {
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: "102290129340398",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "12025550100", phone_number_id: phoneNumberId },
              contacts: [{ profile: { name: "Test User" }, wa_id: from }],
              messages: messages.map((m) => ({
                from,
                id: `wamid.${Math.random().toString(36).slice(2)}`,
                timestamp: String(Math.floor(Date.now() / 1000)),
                ...m,
              })),
            },
          },
        ],
      },
    ],
  };
}

/** The `X-Hub-Signature-256` header Meta sends with `raw`. */
export function metaSignature(raw: string, appSecret: string): string {
  return `sha256=${createHmac("sha256", appSecret).update(raw).digest("hex")}`;
}
