import { describe, expect, it } from "vitest";
import { IdIndex } from "../../../src/core/id-index.ts";
import { seededRandom } from "../../../src/core/random.ts";

describe("IdIndex", () => {
  it("finds the row of every id and -1 for ids it does not hold", () => {
    const random = seededRandom(5);
    const ids = [...new Set(Array.from({ length: 5000 }, () => Math.floor(random() * 2 ** 30)))];
    const index = new IdIndex(ids);
    ids.forEach((id, row) => {
      expect(index.get(id)).toBe(row);
    });
    const held = new Set(ids);
    for (let i = 0; i < 5000; i++) {
      const other = Math.floor(random() * 2 ** 30);
      if (!held.has(other)) expect(index.get(other)).toBe(-1);
    }
  });

  it("works when empty and with id 0", () => {
    expect(new IdIndex([]).get(7)).toBe(-1);
    expect(new IdIndex([0]).get(0)).toBe(0);
  });
});
