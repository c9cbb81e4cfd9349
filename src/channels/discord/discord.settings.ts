import { z } from "zod";
import { apiRoot, type ChannelSettings, optionalText } from "../settings.ts";

const env = z.object({
  DISCORD_APPLICATION_ID: optionalText.pipe(
    z
      .string()
      .regex(/^\d{5,25}$/, "the application's id")
      .optional(),
  ),
  DISCORD_PUBLIC_KEY: optionalText.pipe(
    z
      .string()
      .regex(/^[0-9a-f]{64}$/i, "64 hex digits")
      .optional(),
  ),
  DISCORD_BOT_TOKEN: optionalText,
  DISCORD_API_ROOT: apiRoot("https://discord.com/api"),
  /** Past this, an interaction is answered "thinking…" and finished with a follow-up (Discord allows 3 s). */
  DISCORD_DEFER_AFTER_MS: z.coerce.number().int().min(0).max(2500).default(2000),
});

export const discordSettings = {
  label: "Discord",
  env,
  credentials: ["DISCORD_APPLICATION_ID", "DISCORD_PUBLIC_KEY", "DISCORD_BOT_TOKEN"],
  secrets: ["DISCORD_PUBLIC_KEY", "DISCORD_BOT_TOKEN"],
} satisfies ChannelSettings<typeof env.shape>;
