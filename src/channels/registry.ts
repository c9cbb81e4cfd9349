import { discordSettings } from "./discord/discord.settings.ts";
import { metaSettings } from "./meta/meta.settings.ts";
import type { ChannelSettings } from "./settings.ts";
import { telegramSettings } from "./telegram/telegram.settings.ts";
import { webSettings } from "./web/web.settings.ts";

/**
 * Every platform Guardline serves, by name, with what configuration needs to know of it. The
 * adapters themselves (verify, parse, render, send) are built by src/app/ for the functions that
 * serve or deliver on that platform, so a function that never talks to Discord never loads its SDK.
 */
export const CHANNEL_SETTINGS = {
  web: webSettings,
  telegram: telegramSettings,
  discord: discordSettings,
  meta: metaSettings,
} as const satisfies Record<string, ChannelSettings>;

export type ChannelName = keyof typeof CHANNEL_SETTINGS;

export const CHANNEL_NAMES = Object.keys(CHANNEL_SETTINGS) as ChannelName[];

export function isChannelName(name: string): name is ChannelName {
  return Object.hasOwn(CHANNEL_SETTINGS, name);
}
