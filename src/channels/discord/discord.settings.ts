import * as z from "zod/mini";
import { apiRoot, type ChannelSettings, optionalText } from "../settings.ts";

const env = z.object({
  DISCORD_APPLICATION_ID: z.pipe(
    optionalText,
    z.optional(z.string().check(z.regex(/^\d{5,25}$/, "the application's id"))),
  ),
  DISCORD_PUBLIC_KEY: z.pipe(
    optionalText,
    z.optional(z.string().check(z.regex(/^[0-9a-f]{64}$/i, "64 hex digits"))),
  ),
  DISCORD_BOT_TOKEN: optionalText,
  DISCORD_API_ROOT: apiRoot("https://discord.com/api"),
  /** Past this, an interaction is answered "thinking…" and finished with a follow-up (Discord allows 3 s). */
  DISCORD_DEFER_AFTER_MS: z._default(z.coerce.number().check(z.int(), z.gte(0), z.lte(2500)), 2000),
});

export const discordSettings = {
  label: "Discord",
  env,
  credentials: ["DISCORD_APPLICATION_ID", "DISCORD_PUBLIC_KEY", "DISCORD_BOT_TOKEN"],
  secrets: ["DISCORD_PUBLIC_KEY", "DISCORD_BOT_TOKEN"],
} satisfies ChannelSettings<typeof env.shape>;
