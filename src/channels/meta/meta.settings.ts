import * as z from "zod/mini";
import { apiRoot, type ChannelSettings, optionalText } from "../settings.ts";
import { parseMetaUserKey, replyWindowEnds } from "./meta.address.ts";

const env = z.object({
  META_APP_SECRET: optionalText,
  META_VERIFY_TOKEN: optionalText,
  META_ACCESS_TOKEN: optionalText,
  META_API_ROOT: apiRoot("https://graph.facebook.com"),
});

export const metaSettings = {
  label: "WhatsApp / Messenger",
  env,
  credentials: ["META_APP_SECRET", "META_VERIFY_TOKEN", "META_ACCESS_TOKEN"],
  secrets: ["META_APP_SECRET", "META_VERIFY_TOKEN", "META_ACCESS_TOKEN"],
  /** Agents see whether the user is on WhatsApp or Messenger, and until when a reply reaches them. */
  reach(userKey, userWroteAt) {
    const user = parseMetaUserKey(userKey);
    if (!user) return undefined;
    return { platform: user.platform, replyUntil: replyWindowEnds(user, userWroteAt, "agent").toISOString() };
  },
} satisfies ChannelSettings<typeof env.shape>;
