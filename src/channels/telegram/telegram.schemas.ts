import * as z from "zod/mini";

/**
 * The parts of a Bot API `Update` Guardline reads. Objects are loose: Telegram adds fields over time,
 * and an update with fields we do not know is still a valid update.
 */
const user = z.looseObject({
  id: z.number().check(z.int()),
  is_bot: z.boolean(),
  first_name: z.string().check(z.maxLength(256)),
  language_code: z.optional(z.string().check(z.maxLength(35))),
});

const chat = z.looseObject({
  id: z.number().check(z.int()),
  type: z.enum(["private", "group", "supergroup", "channel"]),
});

const entity = z.looseObject({
  type: z.string().check(z.maxLength(64)),
  offset: z.number().check(z.int(), z.gte(0)),
  length: z.number().check(z.int(), z.gte(0)),
});

export const telegramMessageSchema = z.looseObject({
  message_id: z.number().check(z.int()),
  date: z.number().check(z.int()),
  chat,
  from: z.optional(user),
  text: z.optional(z.string().check(z.maxLength(8192))),
  /** Forum topics: the topic a message belongs to (the agents' group gives each conversation one). */
  message_thread_id: z.optional(z.number().check(z.int())),
  entities: z.optional(z.array(entity).check(z.maxLength(200))),
  caption: z.optional(z.string().check(z.maxLength(2048))),
});
export type TelegramMessage = z.infer<typeof telegramMessageSchema>;

export const telegramUpdateSchema = z.looseObject({
  update_id: z.number().check(z.int(), z.gte(0)),
  message: z.optional(telegramMessageSchema),
  edited_message: z.optional(telegramMessageSchema),
  channel_post: z.optional(telegramMessageSchema),
  callback_query: z.optional(
    z.looseObject({
      id: z.string().check(z.minLength(1), z.maxLength(256)),
      from: user,
      message: z.optional(telegramMessageSchema),
      data: z.optional(z.string().check(z.maxLength(64))),
    }),
  ),
});
export type TelegramUpdate = z.infer<typeof telegramUpdateSchema>;
