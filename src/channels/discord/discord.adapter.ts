import { createPublicKey, verify } from "node:crypto";
import { isIntentId } from "../../core/intents.ts";
import { type Locale, localeFromTag } from "../../core/locale.ts";
import type { Inbound, Reply } from "../../core/policy.ts";
import { ButtonSigner } from "../button-signer.ts";
import { FORGET } from "../forget.ts";
import { splitText } from "../split-text.ts";
import type { InboundMessage } from "../types.ts";
import type { DiscordInteraction } from "./discord.schemas.ts";

/** Discord rejects endpoints that accept bad signatures; requests older than this are refused too. */
const MAX_SKEW_S = 300;

/**
 * Ed25519 over timestamp + the exact raw body, with the application's public key (hex), checked
 * before anything is parsed.
 */
export function signatureValid(
  publicKeyHex: string,
  signatureHex: string | undefined,
  timestamp: string | undefined,
  body: Buffer,
  now = Date.now(),
): boolean {
  if (
    !signatureHex ||
    !timestamp ||
    !/^[0-9a-f]{128}$/i.test(signatureHex) ||
    !/^\d{1,12}$/.test(timestamp)
  ) {
    return false;
  }
  if (Math.abs(now / 1000 - Number(timestamp)) > MAX_SKEW_S) return false;
  const key = createPublicKey({
    key: Buffer.concat([Buffer.from("302a300506032b6570032100", "hex"), Buffer.from(publicKeyHex, "hex")]),
    format: "der",
    type: "spki",
  });
  return verify(
    null,
    Buffer.concat([Buffer.from(timestamp, "utf8"), body]),
    key,
    Buffer.from(signatureHex, "hex"),
  );
}

/**
 * Button custom ids are signed for the user with the bot token (a secret; the application's public
 * key, which the first version used, is not one).
 */
export function discordButtonSigner(botToken: string): ButtonSigner {
  return new ButtonSigner(botToken, "discord-buttons", 16);
}

/** The button that opens a modal for a free-text reply (Discord components cannot take text inline). */
export const WRITE_REPLY = "write";

export type DiscordEvent =
  | { kind: "ping" }
  | { kind: "autocomplete" }
  | { kind: "modal"; userId: string; locale: Locale | undefined }
  | { kind: "expired"; userId: string; locale: Locale | undefined }
  | { kind: "forget"; userId: string; step: "ask" | "confirm" | "cancel"; locale: Locale | undefined }
  | { kind: "inbound"; userId: string; message: InboundMessage; ephemeral: boolean };

export function discordUserKey(userId: string): string {
  return `discord:${userId}`;
}

/** What an interaction asks of the bot, decided before anything is stored. */
export function discordEvent(interaction: DiscordInteraction, signer: ButtonSigner): DiscordEvent {
  if (interaction.type === 1) return { kind: "ping" };
  if (interaction.type === 4) return { kind: "autocomplete" };
  const userId = interaction.member?.user.id ?? interaction.user?.id ?? "";
  const locale = localeFromTag(interaction.locale);
  // In a server, answers about someone's account are for their eyes only.
  const ephemeral = interaction.guild_id !== undefined;
  const hint = locale ? { localeHint: locale } : {};
  const inbound = (content: Inbound): DiscordEvent => ({
    kind: "inbound",
    userId,
    ephemeral,
    message: {
      channel: "discord",
      userKey: discordUserKey(userId),
      eventId: `dc:${interaction.id}`,
      content,
    },
  });
  const data = interaction.data;
  if (interaction.type === 2) {
    const text = data?.options?.find((o) => o.name === "question" || o.name === "text")?.value;
    switch (data?.name) {
      case "ask":
        return typeof text === "string" && text.trim()
          ? inbound({ type: "text", text, ...hint })
          : inbound({ type: "button", buttonId: "menu", ...hint });
      case "verify":
        return typeof text === "string" && text.trim()
          ? inbound({ type: "text", text, ...hint })
          : inbound({ type: "button", buttonId: "t:verify_contact", ...hint });
      case "contact":
        return inbound({ type: "button", buttonId: "t:contact_support", ...hint });
      case "human":
        return inbound({ type: "button", buttonId: "human", ...hint });
      case "forget":
        return { kind: "forget", userId, step: "ask", locale };
      default:
        return inbound({ type: "button", buttonId: "menu", ...hint });
    }
  }
  if (interaction.type === 3) {
    const id = data?.custom_id ? signer.verify(userId, data.custom_id) : undefined;
    if (!id) return { kind: "expired", userId, locale };
    if (id === WRITE_REPLY) return { kind: "modal", userId, locale };
    if (id === FORGET.confirm || id === FORGET.cancel) {
      return { kind: "forget", userId, step: id === FORGET.confirm ? "confirm" : "cancel", locale };
    }
    if (id.startsWith("t:") && !isIntentId(id.slice(2))) return { kind: "expired", userId, locale };
    return inbound({ type: "button", buttonId: id, ...hint });
  }
  const text = data?.components
    ?.flatMap((row) => row.components ?? [])
    .find((c) => c.custom_id === "text")?.value;
  return text?.trim() ? inbound({ type: "text", text, ...hint }) : { kind: "expired", userId, locale };
}

export const DISCORD_CONTENT_LIMIT = 2000;

/**
 * A reply as message payloads: content within 2,000 characters, buttons (at most 5 per row, 5 rows,
 * labels within 80) on the last part, signed for this user, plus "write a reply" for free text.
 */
export function discordMessages(reply: Reply, userId: string, signer: ButtonSigner, writeLabel: string) {
  const parts = splitText(reply.text, DISCORD_CONTENT_LIMIT);
  // At most 25 components: the reply's buttons give way, "write a reply" always stays.
  const buttons = [...(reply.buttons ?? []).slice(0, 24), { id: WRITE_REPLY, label: writeLabel }];
  const rows: { type: 1; components: { type: 2; style: 1 | 2; label: string; custom_id: string }[] }[] = [];
  for (let i = 0; i < buttons.length; i += 5) {
    rows.push({
      type: 1 as const,
      components: buttons.slice(i, i + 5).map((b) => ({
        type: 2 as const,
        style: b.id === WRITE_REPLY ? (1 as const) : (2 as const),
        label: [...b.label].slice(0, 80).join(""),
        custom_id: signer.sign(userId, b.id),
      })),
    });
  }
  return parts.map((content, i) => (i === parts.length - 1 ? { content, components: rows } : { content }));
}
