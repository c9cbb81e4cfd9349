import { z } from "zod";

/**
 * The parts of a Bot API `Update` Guardline reads. Objects are loose: Telegram adds fields over time,
 * and an update with fields we do not know is still a valid update.
 */
const user = z.looseObject({
  id: z.number().int(),
  is_bot: z.boolean(),
  first_name: z.string().max(256),
  language_code: z.string().max(35).optional(),
});

const chat = z.looseObject({
  id: z.number().int(),
  type: z.enum(["private", "group", "supergroup", "channel"]),
});

const entity = z.looseObject({
  type: z.string().max(64),
  offset: z.number().int().min(0),
  length: z.number().int().min(0),
});

export const telegramMessageSchema = z.looseObject({
  message_id: z.number().int(),
  date: z.number().int(),
  chat,
  from: user.optional(),
  text: z.string().max(8192).optional(),
  /** Forum topics: the topic a message belongs to (the agents' group gives each conversation one). */
  message_thread_id: z.number().int().optional(),
  entities: z.array(entity).max(200).optional(),
  caption: z.string().max(2048).optional(),
});
export type TelegramMessage = z.infer<typeof telegramMessageSchema>;

export const telegramUpdateSchema = z.looseObject({
  update_id: z.number().int().min(0),
  message: telegramMessageSchema.optional(),
  edited_message: telegramMessageSchema.optional(),
  channel_post: telegramMessageSchema.optional(),
  callback_query: z
    .looseObject({
      id: z.string().min(1).max(256),
      from: user,
      message: telegramMessageSchema.optional(),
      data: z.string().max(64).optional(),
    })
    .optional(),
});
export type TelegramUpdate = z.infer<typeof telegramUpdateSchema>;
