import { describe, expect, it } from "vitest";
import { ButtonSigner } from "../../../src/channels/button-signer.ts";

describe("ButtonSigner", () => {
  it("signs as `<id>~<mac>` and verifies back to the id", () => {
    // Prepare
    const signer = new ButtonSigner("secret", "telegram");

    // Act
    const data = signer.sign(42, "fb:y:fees");

    // Assess
    expect(data).toMatch(/^fb:y:fees~[A-Za-z0-9_-]{12}$/);
    expect(signer.verify(42, data)).toBe("fb:y:fees");
  });

  it("is deterministic for the same secret, purpose, scope and id", () => {
    expect(new ButtonSigner("secret", "meta").sign("u1", "human")).toBe(
      new ButtonSigner("secret", "meta").sign("u1", "human"),
    );
  });

  it("keeps purposes apart even when they share a secret", () => {
    // Prepare
    const telegram = new ButtonSigner("shared", "telegram");
    const discord = new ButtonSigner("shared", "discord");

    // Act
    const data = telegram.sign(42, "human");

    // Assess
    expect(discord.sign(42, "human")).not.toBe(data);
    expect(discord.verify(42, data)).toBeUndefined();
    expect(telegram.verify(42, data)).toBe("human");
  });

  it("binds a button to its scope, a number and its string form being the same scope", () => {
    // Prepare
    const signer = new ButtonSigner("secret", "web");
    const data = signer.sign("session-a", "menu");

    // Act + Assess
    expect(signer.verify("session-b", data)).toBeUndefined();
    expect(signer.verify("session-a", data)).toBe("menu");
    expect(signer.verify("42", signer.sign(42, "menu"))).toBe("menu");
  });

  it("refuses a tampered, truncated, extended or missing mac", () => {
    // Prepare
    const signer = new ButtonSigner("secret", "telegram");
    const data = signer.sign(7, "t:fees");
    const mac = data.slice(data.lastIndexOf("~") + 1);
    const flipped = `${mac.slice(0, -1)}${mac.endsWith("A") ? "B" : "A"}`;

    // Act
    const results = [
      `t:fees~${flipped}`,
      `t:fees~${mac.slice(0, -1)}`,
      `t:fees~${mac}A`,
      "t:fees~",
      "t:fees",
      `~${mac}`,
      `t:fees~${mac.toUpperCase() === mac ? mac.toLowerCase() : mac.toUpperCase()}`,
    ].map((tampered) => signer.verify(7, tampered));

    // Assess
    expect(results).toEqual(Array(7).fill(undefined));
    expect(signer.verify(7, data)).toBe("t:fees");
  });

  it("refuses a valid mac moved onto another id", () => {
    // Prepare
    const signer = new ButtonSigner("secret", "telegram");
    const mac = signer.sign(7, "fb:y:fees").split("~")[1];

    // Act + Assess
    expect(signer.verify(7, `fb:n:fees~${mac}`)).toBeUndefined();
  });

  it("handles ids that contain `~`: the mac is after the last one", () => {
    // Prepare
    const signer = new ButtonSigner("secret", "discord");

    // Act
    const data = signer.sign(1, "a~b~c");

    // Assess
    expect(signer.verify(1, data)).toBe("a~b~c");
    expect(signer.verify(1, data.replace("a~b~c", "a~b"))).toBeUndefined();
  });

  it("uses the configured mac length, and a signer of another length refuses it", () => {
    // Prepare
    const short = new ButtonSigner("secret", "telegram", 8);
    const long = new ButtonSigner("secret", "telegram", 16);

    // Act
    const data = short.sign(3, "x");

    // Assess
    expect(data).toMatch(/^x~[A-Za-z0-9_-]{8}$/);
    expect(long.sign(3, "x")).toMatch(/^x~[A-Za-z0-9_-]{16}$/);
    expect(long.verify(3, data)).toBeUndefined();
    expect(short.verify(3, data)).toBe("x");
  });

  it("reads a button signed before the secret was rotated as not ours", () => {
    const data = new ButtonSigner("old-secret", "telegram").sign(5, "human");
    expect(new ButtonSigner("new-secret", "telegram").verify(5, data)).toBeUndefined();
  });
});
