import { en } from "zod/locales";
import * as z from "zod/mini";
import { ValidationError } from "./errors.ts";

// zod/mini ships without a locale (every issue would read "Invalid input"): English, as classic zod
// sets it. Messages are made when a parse fails, so setting it here, before any parse, is enough.
z.config(en());

/**
 * Parses `input` with `schema`, or throws a ValidationError whose message names the failing
 * fields in plain words (`where` says what was being validated) and whose `cause` is the ZodError.
 */
export function validate<T>(schema: z.ZodMiniType<T>, input: unknown, where: string): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const first = result.error.issues[0];
  const path = first
    ? [...first.path, ...(first.code === "unrecognized_keys" ? first.keys.slice(0, 1) : [])]
    : [];
  const field = path.length > 0 ? path.join(".") : undefined;
  throw new ValidationError(`${where}: ${z.prettifyError(result.error)}`, {
    cause: result.error,
    ...(field ? { field } : {}),
  });
}

/** Every issue rather than the first, for checks that report them all (with the English messages above). */
export function safeParse<T>(schema: z.ZodMiniType<T>, input: unknown): z.core.util.SafeParseResult<T> {
  return schema.safeParse(input);
}
