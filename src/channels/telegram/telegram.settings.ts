import * as z from "zod/mini";
import { apiRoot, type ChannelSettings, optionalText } from "../settings.ts";

/** Telegram's own rule for the webhook secret: 1–256 characters of A-Z a-z 0-9 _ -. */
export const telegramSecretSchema = z
  .string()
  .check(z.regex(/^[A-Za-z0-9_-]{1,256}$/, "1–256 of A-Z a-z 0-9 _ -"));

const env = z.object({
  TELEGRAM_BOT_TOKEN: z.pipe(
    optionalText,
    z.optional(
      z.string().check(z.regex(/^\d+:[A-Za-z0-9_-]{20,}$/, "<bot id>:<secret> as BotFather gives it")),
    ),
  ),
  TELEGRAM_SECRET_TOKEN: z.pipe(optionalText, z.optional(telegramSecretSchema)),
  TELEGRAM_API_ROOT: apiRoot("https://api.telegram.org"),
  /** The agents' forum supergroup (a negative id); with it, each handed-off conversation gets a topic. */
  TELEGRAM_AGENT_CHAT_ID: z.pipe(
    z.pipe(optionalText, z.optional(z.string().check(z.regex(/^-\d{1,20}$/, "a negative chat id")))),
    z.transform((v: string | undefined) => (v === undefined ? undefined : Number(v))),
  ),
});

export const telegramSettings = {
  label: "Telegram",
  env,
  credentials: ["TELEGRAM_BOT_TOKEN", "TELEGRAM_SECRET_TOKEN"],
  secrets: ["TELEGRAM_BOT_TOKEN", "TELEGRAM_SECRET_TOKEN"],
} satisfies ChannelSettings<typeof env.shape>;
