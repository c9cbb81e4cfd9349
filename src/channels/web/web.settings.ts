import * as z from "zod/mini";
import type { ChannelSettings } from "../settings.ts";

/** The web chat needs no credentials: the browser's random session id is its bearer. */
export const webSettings = {
  label: "web chat",
  env: z.object({}),
  credentials: [],
  secrets: [],
} satisfies ChannelSettings;
