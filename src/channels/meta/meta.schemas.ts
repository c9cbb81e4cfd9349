import { z } from "zod";

/**
 * The parts of Meta's webhook notifications Guardline reads: WhatsApp Cloud API
 * (`object: "whatsapp_business_account"`) and Messenger (`object: "page"`). Objects are loose, since
 * Meta adds fields over time; anything else in a notification (statuses, reads, reactions, other
 * fields) is skipped, not rejected.
 */
const id = z.string().min(1).max(256);

const whatsappMessage = z.looseObject({
  from: id,
  id,
  timestamp: z.string().max(32).optional(),
  type: z.string().max(64),
  text: z.looseObject({ body: z.string().max(8192) }).optional(),
  interactive: z
    .looseObject({
      type: z.string().max(64),
      button_reply: z.looseObject({ id: z.string().max(512), title: z.string().max(256) }).optional(),
      list_reply: z.looseObject({ id: z.string().max(512), title: z.string().max(256) }).optional(),
    })
    .optional(),
  button: z.looseObject({ payload: z.string().max(1024).optional(), text: z.string().max(256) }).optional(),
});

const whatsappValue = z.looseObject({
  messaging_product: z.literal("whatsapp").optional(),
  metadata: z.looseObject({ phone_number_id: id }),
  messages: z.array(z.unknown()).max(100).optional(),
});

const whatsappEntry = z.looseObject({
  id,
  changes: z.array(z.looseObject({ field: z.string().max(64), value: z.unknown() })).max(100),
});

const messengerMessaging = z.looseObject({
  sender: z.looseObject({ id }),
  recipient: z.looseObject({ id }),
  timestamp: z.number().optional(),
  message: z
    .looseObject({
      mid: id,
      text: z.string().max(8192).optional(),
      is_echo: z.boolean().optional(),
      quick_reply: z.looseObject({ payload: z.string().max(1024) }).optional(),
      attachments: z.array(z.unknown()).max(100).optional(),
    })
    .optional(),
  postback: z
    .looseObject({
      mid: id.optional(),
      title: z.string().max(1024).optional(),
      payload: z.string().max(1024),
    })
    .optional(),
});

const messengerEntry = z.looseObject({
  id,
  time: z.number().optional(),
  messaging: z.array(z.unknown()).max(100).optional(),
});

export const metaNotificationSchema = z.discriminatedUnion("object", [
  z.looseObject({ object: z.literal("whatsapp_business_account"), entry: z.array(whatsappEntry).max(100) }),
  z.looseObject({ object: z.literal("page"), entry: z.array(messengerEntry).max(100) }),
]);
export type MetaNotification = z.infer<typeof metaNotificationSchema>;

/** Changes, messages and messaging items are checked one by one, so one odd item does not cost the others. */
export const whatsappValueSchema = whatsappValue;
export const whatsappMessageSchema = whatsappMessage;
export type WhatsappValue = z.infer<typeof whatsappValue>;
export type WhatsappMessage = z.infer<typeof whatsappMessage>;
export const messengerMessagingSchema = messengerMessaging;
export type MessengerMessaging = z.infer<typeof messengerMessaging>;
