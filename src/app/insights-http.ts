import type { APIGatewayProxyEventV2 } from "aws-lambda";
import * as z from "zod/mini";
import { ValidationError } from "../errors.ts";
import type { DayRange } from "../handoff/insights-service.ts";
import { MAX_RANGE_DAYS } from "../store/insights-store.ts";
import { validate } from "../validate.ts";

const DAY_MS = 86_400_000;

/** A UTC calendar day, YYYY-MM-DD (2026-02-30 is not one). */
const day = z.string().check(
  z.regex(/^\d{4}-\d{2}-\d{2}$/, "must be a day, YYYY-MM-DD"),
  z.refine(
    (d) => new Date(Date.parse(`${d}T00:00:00Z`) || 0).toISOString().startsWith(d),
    "is not a calendar day",
  ),
);

export const rangeQuerySchema = z.strictObject({ from: z.optional(day), to: z.optional(day) });

/**
 * `?from=&to=`: UTC days, inclusive; by default the 7 days up to today. A bad day, a range that
 * runs backwards or one wider than MAX_RANGE_DAYS is a 400 naming the field.
 */
export function dayRange(
  event: Pick<APIGatewayProxyEventV2, "queryStringParameters">,
  now = new Date(),
): DayRange {
  const query = validate(rangeQuerySchema, event.queryStringParameters ?? {}, "query");
  return checkedRange(query, now);
}

export function checkedRange(
  query: { from?: string | undefined; to?: string | undefined },
  now = new Date(),
): DayRange {
  const to = query.to ?? now.toISOString().slice(0, 10);
  const from = query.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 6 * DAY_MS).toISOString().slice(0, 10);
  if (from > to) throw new ValidationError("query: from must not be after to", { field: "from" });
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS + 1;
  if (days > MAX_RANGE_DAYS) {
    throw new ValidationError(`query: a range of at most ${MAX_RANGE_DAYS} days`, { field: "from" });
  }
  return { from, to };
}
