import { createHmac } from "node:crypto";

export const PHONE_NUMBER_ID = "106540352242922";
export const PAGE_ID = "104250825763518";

/** A WhatsApp Cloud API notification carrying `messages` (each gets `from`, an id and a timestamp unless given). */
export function whatsappNotification(
  from: string,
  messages: Record<string, unknown>[],
  phoneNumberId = PHONE_NUMBER_ID,
): Record<string, unknown> {
  return whatsappEnvelope(phoneNumberId, {
    contacts: [{ profile: { name: "Test User" }, wa_id: from }],
    messages: messages.map((m) => ({
      from,
      id: `wamid.${Math.random().toString(36).slice(2)}`,
      timestamp: String(Math.floor(Date.now() / 1000)),
      ...m,
    })),
  });
}

/** The Cloud API's envelope around one change of the `messages` field. */
function whatsappEnvelope(phoneNumberId: string, value: Record<string, unknown>): Record<string, unknown> {
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
              ...value,
            },
          },
        ],
      },
    ],
  };
}

/** WhatsApp's status notification for a message the business sent (`sent`, `delivered`, `read`). */
export function whatsappStatusNotification(
  recipient: string,
  status: "sent" | "delivered" | "read",
  messageId = `wamid.${Math.random().toString(36).slice(2)}`,
  phoneNumberId = PHONE_NUMBER_ID,
): Record<string, unknown> {
  return whatsappEnvelope(phoneNumberId, {
    statuses: [
      { id: messageId, status, timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: recipient },
    ],
  });
}

/** A Messenger notification carrying the given messaging items from one user (each gets sender, recipient, timestamp). */
export function messengerNotification(
  psid: string,
  items: Record<string, unknown>[],
  pageId = PAGE_ID,
): Record<string, unknown> {
  return {
    object: "page",
    entry: [
      {
        id: pageId,
        time: Date.now(),
        messaging: items.map((item) => ({
          sender: { id: psid },
          recipient: { id: pageId },
          timestamp: Date.now(),
          ...item,
        })),
      },
    ],
  };
}

/** The `X-Hub-Signature-256` header Meta sends with `raw`. */
export function metaSignature(raw: string, appSecret: string): string {
  return `sha256=${createHmac("sha256", appSecret).update(raw).digest("hex")}`;
}
