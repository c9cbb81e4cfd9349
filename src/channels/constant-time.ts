import { createHash, timingSafeEqual } from "node:crypto";

/** Compares a received secret with ours in constant time (both hashed to equal length first). */
export function secretMatches(received: string | undefined, expected: string): boolean {
  if (received === undefined) return false;
  const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();
  return timingSafeEqual(digest(received), digest(expected));
}
