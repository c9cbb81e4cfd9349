import * as z from "zod/mini";
import { type ChannelSettings, optionalText } from "../settings.ts";

/** `https://host` or `http://host:port`: what a browser sends in `Origin`. */
const ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/;

const env = z.object({
  /**
   * Sites that may embed the chat (comma-separated origins). Unset: the chat's own page only; a
   * browser request from any other origin is refused (403) before its body is read.
   */
  WEB_ALLOWED_ORIGINS: z.pipe(
    optionalText,
    z.pipe(
      z.transform((v: string | undefined) =>
        (v ?? "")
          .split(",")
          .map((o) => o.trim())
          .filter(Boolean),
      ),
      z.array(z.string().check(z.regex(ORIGIN, "origins like https://www.example.com, comma-separated"))),
    ),
  ),
});

/** The web chat needs no credentials: the browser's random session id is its bearer. */
export const webSettings = {
  label: "web chat",
  env,
  credentials: [],
  secrets: [],
} satisfies ChannelSettings<typeof env.shape>;
