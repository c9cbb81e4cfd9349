import * as z from "zod/mini";

/**
 * The parts of Meta's webhook notifications Guardline reads: WhatsApp Cloud API
 * (`object: "whatsapp_business_account"`) and Messenger (`object: "page"`). Objects are loose, since
 * Meta adds fields over time; anything else in a notification (statuses, reads, reactions, other
 * fields) is skipped, not rejected.
 */
const id = z.string().check(z.minLength(1), z.maxLength(256));

const whatsappMessage = z.looseObject({
  from: id,
  id,
  timestamp: z.optional(z.string().check(z.maxLength(32))),
  type: z.string().check(z.maxLength(64)),
  text: z.optional(z.looseObject({ body: z.string().check(z.maxLength(8192)) })),
  interactive: z.optional(
    z.looseObject({
      type: z.string().check(z.maxLength(64)),
      button_reply: z.optional(
        z.looseObject({ id: z.string().check(z.maxLength(512)), title: z.string().check(z.maxLength(256)) }),
      ),
      list_reply: z.optional(
        z.looseObject({ id: z.string().check(z.maxLength(512)), title: z.string().check(z.maxLength(256)) }),
      ),
    }),
  ),
  button: z.optional(
    z.looseObject({
      payload: z.optional(z.string().check(z.maxLength(1024))),
      text: z.string().check(z.maxLength(256)),
    }),
  ),
});

const whatsappValue = z.looseObject({
  messaging_product: z.optional(z.literal("whatsapp")),
  metadata: z.looseObject({ phone_number_id: id }),
  messages: z.optional(z.array(z.unknown()).check(z.maxLength(100))),
});

const whatsappEntry = z.looseObject({
  id,
  changes: z
    .array(z.looseObject({ field: z.string().check(z.maxLength(64)), value: z.unknown() }))
    .check(z.maxLength(100)),
});

const messengerMessaging = z.looseObject({
  sender: z.looseObject({ id }),
  recipient: z.looseObject({ id }),
  timestamp: z.optional(z.number()),
  message: z.optional(
    z.looseObject({
      mid: id,
      text: z.optional(z.string().check(z.maxLength(8192))),
      is_echo: z.optional(z.boolean()),
      quick_reply: z.optional(z.looseObject({ payload: z.string().check(z.maxLength(1024)) })),
      attachments: z.optional(z.array(z.unknown()).check(z.maxLength(100))),
    }),
  ),
  postback: z.optional(
    z.looseObject({
      mid: z.optional(id),
      title: z.optional(z.string().check(z.maxLength(1024))),
      payload: z.string().check(z.maxLength(1024)),
    }),
  ),
});

const messengerEntry = z.looseObject({
  id,
  time: z.optional(z.number()),
  messaging: z.optional(z.array(z.unknown()).check(z.maxLength(100))),
});

export const metaNotificationSchema = z.discriminatedUnion("object", [
  z.looseObject({
    object: z.literal("whatsapp_business_account"),
    entry: z.array(whatsappEntry).check(z.maxLength(100)),
  }),
  z.looseObject({ object: z.literal("page"), entry: z.array(messengerEntry).check(z.maxLength(100)) }),
]);
export type MetaNotification = z.infer<typeof metaNotificationSchema>;

/** Changes, messages and messaging items are checked one by one, so one odd item does not cost the others. */
export const whatsappValueSchema = whatsappValue;
export const whatsappMessageSchema = whatsappMessage;
export type WhatsappValue = z.infer<typeof whatsappValue>;
export type WhatsappMessage = z.infer<typeof whatsappMessage>;
export const messengerMessagingSchema = messengerMessaging;
export type MessengerMessaging = z.infer<typeof messengerMessaging>;
