import { z } from "zod";
import { apiRoot, type ChannelSettings, optionalText } from "../settings.ts";

/** Telegram's own rule for the webhook secret: 1–256 characters of A-Z a-z 0-9 _ -. */
export const telegramSecretSchema = z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, "1–256 of A-Z a-z 0-9 _ -");

const env = z.object({
  TELEGRAM_BOT_TOKEN: optionalText.pipe(
    z
      .string()
      .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, "<bot id>:<secret> as BotFather gives it")
      .optional(),
  ),
  TELEGRAM_SECRET_TOKEN: optionalText.pipe(telegramSecretSchema.optional()),
  TELEGRAM_API_ROOT: apiRoot("https://api.telegram.org"),
  /** The agents' forum supergroup (a negative id); with it, each handed-off conversation gets a topic. */
  TELEGRAM_AGENT_CHAT_ID: optionalText
    .pipe(
      z
        .string()
        .regex(/^-\d{1,20}$/, "a negative chat id")
        .optional(),
    )
    .transform((v) => (v === undefined ? undefined : Number(v))),
});

export const telegramSettings = {
  label: "Telegram",
  env,
  credentials: ["TELEGRAM_BOT_TOKEN", "TELEGRAM_SECRET_TOKEN"],
  secrets: ["TELEGRAM_BOT_TOKEN", "TELEGRAM_SECRET_TOKEN"],
} satisfies ChannelSettings<typeof env.shape>;
