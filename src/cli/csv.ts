import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import type { Example } from "../core/train.ts";
import { ValidationError } from "../errors.ts";

/**
 * Reads labelled examples from a CSV with a header row: text column `text`, label column `label`
 * or `category` (BANKING77's name). Quoted fields may hold commas, quotes and newlines.
 */
export function readExamplesCsv(path: string): Example[] {
  let records: Record<string, string>[];
  try {
    records = parse(readFileSync(path, "utf8"), { columns: true, skip_empty_lines: true, bom: true });
  } catch (error) {
    throw new ValidationError(`${path}: ${(error as Error).message}`, { cause: error });
  }
  const first = records[0];
  if (!first) throw new ValidationError(`${path}: no data rows`);
  const labelColumn = "label" in first ? "label" : "category" in first ? "category" : undefined;
  if (!("text" in first) || !labelColumn) {
    throw new ValidationError(`${path}: the header needs a "text" column and a "label" or "category" column`);
  }
  return records.map((record, i) => {
    const text = record.text?.trim();
    const label = record[labelColumn]?.trim();
    if (!text || !label) throw new ValidationError(`${path}: row ${i + 2} has an empty text or label`);
    return { text, label };
  });
}
