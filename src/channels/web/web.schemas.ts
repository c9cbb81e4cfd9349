import * as z from "zod/mini";
import { LOCALES } from "../../core/locale.ts";

/** Limits of the web chat API (product.md §9); larger input is refused before anything is stored. */
export const WEB_LIMITS = { bodyBytes: 64 * 1024, textChars: 4000, historyPage: 100 } as const;

/** A browser-held bearer id: long and random, so another visitor cannot guess it. */
const sessionId = z
  .string()
  .check(z.regex(/^[A-Za-z0-9_-]{22,128}$/, "22–128 characters of A-Z a-z 0-9 _ -"));
const clientMessageId = z
  .string()
  .check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, "1–64 characters of A-Z a-z 0-9 _ -"));

/** `{sessionId, text}` or `{sessionId, buttonId}`, each with an optional retry id and locale. */
export const webPostSchema = z
  .strictObject({
    sessionId,
    text: z.optional(z.string().check(z.maxLength(WEB_LIMITS.textChars))),
    buttonId: z.optional(z.string().check(z.regex(/^[\x21-\x7e]{1,64}$/, "1–64 printable ASCII characters"))),
    clientMessageId: z.optional(clientMessageId),
    locale: z.optional(z.enum(LOCALES)),
  })
  .check(
    z.superRefine((body, ctx) => {
      if ((body.text === undefined) === (body.buttonId === undefined)) {
        ctx.addIssue({ code: "custom", path: ["text"], message: "send either text or buttonId" });
      } else if (body.text !== undefined && body.text.trim() === "") {
        ctx.addIssue({ code: "custom", path: ["text"], message: "must not be empty" });
      }
    }),
  );

export type WebPost = z.infer<typeof webPostSchema>;

/** `after` is `<conversation seq>-<version>.<index>`, the id of the last message the page has. */
export const webListSchema = z.strictObject({
  sessionId,
  after: z.optional(
    z.string().check(z.regex(/^[1-9][0-9]{0,8}-[0-9]{1,10}\.[0-9]{1,2}$/, "a cursor returned by this API")),
  ),
});
