import { createHash, createPublicKey, type KeyObject, sign, verify } from "node:crypto";
import type { ContactsFile, RegistrySignature } from "../content.ts";

/**
 * Integrity of the official-contact registry: the operator signs its canonical form with an Ed25519
 * key kept off the servers, and a deployment configured with the public key refuses to start with a
 * registry whose signature does not verify — so a contact slipped into content/ without the key
 * never reaches a user.
 */
export { type RegistrySignature, registrySignatureSchema } from "../content.ts";

/** JSON with object keys sorted at every level: the same registry always gives the same bytes. */
export function canonicalRegistry(contacts: ContactsFile): Buffer {
  const sorted = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sorted);
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(
        Object.entries(value)
          .filter(([, v]) => v !== undefined)
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([k, v]) => [k, sorted(v)]),
      );
    }
    return value;
  };
  return Buffer.from(JSON.stringify(sorted(contacts)), "utf8");
}

/** Accepts a PEM public key or the base64 of its SPKI DER (one line, handy in an environment variable). */
export function publicKeyFrom(text: string): KeyObject {
  const trimmed = text.trim();
  const key = trimmed.startsWith("-----BEGIN")
    ? createPublicKey(trimmed)
    : createPublicKey({ key: Buffer.from(trimmed, "base64"), format: "der", type: "spki" });
  if (key.asymmetricKeyType !== "ed25519") throw new RangeError("the registry key must be an Ed25519 key");
  return key;
}

export function keyId(publicKey: KeyObject): string {
  const der = publicKey.export({ format: "der", type: "spki" });
  return createHash("sha256").update(der).digest("hex").slice(0, 16);
}

export function signRegistry(
  contacts: ContactsFile,
  privateKey: Parameters<typeof sign>[2],
): RegistrySignature {
  const publicKey = createPublicKey(privateKey as never);
  return {
    algorithm: "ed25519",
    keyId: keyId(publicKey),
    version: contacts.version,
    signature: sign(null, canonicalRegistry(contacts), privateKey).toString("base64"),
  };
}

/** Throws, saying why, unless `signature` is a valid signature of `contacts` by `publicKey`. */
export function assertRegistrySigned(
  contacts: ContactsFile,
  signature: RegistrySignature | undefined,
  publicKey: KeyObject,
): void {
  if (!signature)
    throw new Error("the contact registry is not signed, but a registry public key is configured");
  if (signature.keyId !== keyId(publicKey)) {
    throw new Error(`the contact registry is signed by key ${signature.keyId}, not by the configured key`);
  }
  const valid = verify(
    null,
    canonicalRegistry(contacts),
    publicKey,
    Buffer.from(signature.signature, "base64"),
  );
  if (!valid)
    throw new Error(`the contact registry (version ${contacts.version}) does not match its signature`);
}
