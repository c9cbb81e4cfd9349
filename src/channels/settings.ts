import * as z from "zod/mini";

/**
 * What a channel needs from the configuration, declared in its own folder (`<platform>.settings.ts`)
 * and light on purpose: every function validates every channel's settings at cold start (health
 * reports which channels are on), so this must not load the platform's SDK.
 */
export interface ChannelSettings<Shape extends z.core.$ZodShape = z.core.$ZodShape> {
  /** How people call the channel, in errors and the local server's banner. */
  label: string;
  /** The environment variables the channel reads, validated with the rest of the configuration. */
  env: z.ZodMiniObject<Shape>;
  /** All of these must be set for the channel to be on: a channel is never half-enabled. */
  credentials: readonly (keyof Shape & string)[];
  /** The credentials that are secrets: in AWS they come from SSM Parameter Store, never the stack. */
  secrets: readonly (keyof Shape & string)[];
  /**
   * For agents: which of the channel's platforms a user writes from, and until when the platform
   * takes a message to them (counted from their last message). Only channels with a window.
   */
  reach?(userKey: string, userWroteAt: string): { platform: string; replyUntil: string } | undefined;
}

/** An optional setting: unset and blank are the same. */
export const optionalText = z.pipe(
  z.optional(z.string()),
  z.transform((v: string | undefined) => (v === undefined || v.trim() === "" ? undefined : v)),
);

/** An API root the tests and local runs can point at a fake; unset or blank is the platform's own. */
export const apiRoot = (defaultRoot: string) =>
  z.pipe(optionalText, z._default(z.url({ protocol: /^https?$/ }), defaultRoot));
