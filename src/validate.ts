import { type ZodType, z } from "zod";
import { ValidationError } from "./errors.ts";

/**
 * Parses `input` with `schema`, or throws a ValidationError whose message names the failing
 * fields in plain words (`where` says what was being validated) and whose `cause` is the ZodError.
 */
export function validate<T>(schema: ZodType<T>, input: unknown, where: string): T {
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
