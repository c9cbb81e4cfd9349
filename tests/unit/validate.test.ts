import { describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { ValidationError } from "../../src/errors.ts";
import { validate } from "../../src/validate.ts";

const message = z.object({
  text: z.string().check(z.minLength(1)),
  locale: z._default(z.enum(["en", "zh-Hans", "zh-Hant"]), "en"),
  user: z.optional(z.object({ id: z.number().check(z.int()), name: z.string() })),
  buttons: z.optional(z.array(z.object({ id: z.string() }))),
});

function failure(schema: z.ZodMiniType, input: unknown, where: string): ValidationError {
  try {
    validate(schema, input, where);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error("expected a ValidationError");
}

describe("validate", () => {
  it("returns the parsed value, with defaults applied and unknown keys stripped", () => {
    // Act
    const parsed = validate(message, { text: "hi", extra: true }, "web message");

    // Assess
    expect(parsed).toEqual({ text: "hi", locale: "en" });
  });

  it("throws a 400 ValidationError whose message says where and what, and whose cause is the ZodError", () => {
    // Act
    const error = failure(message, { text: 5 }, "web message");

    // Assess
    expect(error.status).toBe(400);
    expect(error.cause).toBeInstanceOf(z.core.$ZodError);
    expect(error.message).toBe(`web message: ${z.prettifyError(error.cause as z.core.$ZodError)}`);
    expect(error.message).toMatch(/^web message: .*expected string.*\n.*at text/s);
  });

  it("names the first failing field by its dotted path, array indexes included", () => {
    expect(failure(message, { text: "hi", user: { id: 1.5, name: "x" } }, "m").field).toBe("user.id");
    expect(failure(message, { text: "hi", buttons: [{ id: "a" }, { id: 7 }] }, "m").field).toBe(
      "buttons.1.id",
    );
  });

  it("names the first unrecognised key of a strict object", () => {
    // Act
    const error = failure(z.strictObject({ a: z.string() }), { a: "x", zz: 1, yy: 2 }, "agent body");

    // Assess
    expect(error.field).toBe("zz");
    expect(error.message).toContain('"zz"');
  });

  it("names no field when the input as a whole is wrong", () => {
    // Act
    const error = failure(message, "just a string", "web message");

    // Assess
    expect(error.field).toBeUndefined();
    expect(error.message).toMatch(/^web message: /);
  });
});
