/** Who wrote, and through which of the operator's numbers or pages (replies must go out the same way). */
export type MetaUser =
  | { platform: "whatsapp"; phoneNumberId: string; waId: string }
  | { platform: "messenger"; pageId: string; psid: string };

const SEPARATOR = ":";

/** `meta:wa:<phone number id>:<wa id>` or `meta:fb:<page id>:<page-scoped id>`. */
export function metaUserKey(user: MetaUser): string {
  return user.platform === "whatsapp"
    ? ["meta", "wa", user.phoneNumberId, user.waId].join(SEPARATOR)
    : ["meta", "fb", user.pageId, user.psid].join(SEPARATOR);
}

export function parseMetaUserKey(userKey: string): MetaUser | undefined {
  const [channel, platform, via, who, ...rest] = userKey.split(SEPARATOR);
  if (channel !== "meta" || !via || !who || rest.length > 0) return undefined;
  if (platform === "wa") return { platform: "whatsapp", phoneNumberId: via, waId: who };
  if (platform === "fb") return { platform: "messenger", pageId: via, psid: who };
  return undefined;
}

const HOUR_MS = 3_600_000;

/**
 * Until when Meta takes a message to this user, counted from their last message: WhatsApp takes
 * free-form messages for 24 hours; Messenger for 24 hours, and an agent's own replies for 7 days
 * under the HUMAN_AGENT tag.
 */
export function replyWindowEnds(user: MetaUser, userWroteAt: string, from: "agent" | "bot"): Date {
  const hours = user.platform === "messenger" && from === "agent" ? 7 * 24 : 24;
  return new Date(Date.parse(userWroteAt) + hours * HOUR_MS);
}
