import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/**
 * Button data is `<button id>~<mac>`: an HMAC, keyed by one of the channel's secrets, over the user
 * (or chat) and the id. A crafted press cannot use a button the bot never showed that user, and a
 * button from before a secret was rotated reads as expired.
 */
export class ButtonSigner {
  private readonly key: Buffer;

  /** `purpose` keeps the keys of different channels apart even if they share a secret. */
  constructor(
    secret: string,
    purpose: string,
    private readonly macLength = 12,
  ) {
    this.key = createHash("sha256").update(`guardline:${purpose}:${secret}`).digest();
  }

  sign(scope: string | number, id: string): string {
    return `${id}~${this.mac(scope, id)}`;
  }

  /** The button id, or undefined when the data was not signed by us for this scope. */
  verify(scope: string | number, data: string): string | undefined {
    const at = data.lastIndexOf("~");
    if (at <= 0) return undefined;
    const id = data.slice(0, at);
    const expected = Buffer.from(this.mac(scope, id));
    const given = Buffer.from(data.slice(at + 1));
    return given.length === expected.length && timingSafeEqual(given, expected) ? id : undefined;
  }

  private mac(scope: string | number, id: string): string {
    return createHmac("sha256", this.key)
      .update(`${scope}:${id}`)
      .digest("base64url")
      .slice(0, this.macLength);
  }
}
