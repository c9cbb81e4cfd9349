import { generateKeyPairSync } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { GENERATED_DIR, loadBrain } from "../../../../src/config.ts";
import {
  assertRegistrySigned,
  canonicalRegistry,
  publicKeyFrom,
  signRegistry,
} from "../../../../src/core/safety/registry-signature.ts";

const { knowledge } = loadBrain();
const contacts = knowledge.contacts;
const operator = generateKeyPairSync("ed25519");
const stranger = generateKeyPairSync("ed25519");
const publicBase64 = operator.publicKey.export({ format: "der", type: "spki" }).toString("base64");

describe("registry signature", () => {
  it("verifies the operator's signature, from a PEM or a one-line base64 key", () => {
    const signature = signRegistry(contacts, operator.privateKey);
    expect(() => assertRegistrySigned(contacts, signature, publicKeyFrom(publicBase64))).not.toThrow();
    const pem = operator.publicKey.export({ format: "pem", type: "spki" }).toString();
    expect(() => assertRegistrySigned(contacts, signature, publicKeyFrom(pem))).not.toThrow();
  });

  it("does not depend on key order, but on every value", () => {
    const reordered = { contacts: contacts.contacts, version: contacts.version };
    expect(canonicalRegistry(reordered).equals(canonicalRegistry(contacts))).toBe(true);
    const first = contacts.contacts[0];
    if (!first) throw new Error("registry is empty");
    const swapped = {
      ...contacts,
      contacts: [{ ...first, value: "+1 202-555-0142" }, ...contacts.contacts.slice(1)],
    };
    expect(canonicalRegistry(swapped).equals(canonicalRegistry(contacts))).toBe(false);
  });

  it("refuses a changed registry, another key's signature, or none at all", () => {
    const key = publicKeyFrom(publicBase64);
    const signature = signRegistry(contacts, operator.privateKey);
    const tampered = {
      ...contacts,
      contacts: [...contacts.contacts, { ...contacts.contacts[0], id: "extra" }],
    };
    expect(() => assertRegistrySigned(tampered as typeof contacts, signature, key)).toThrow(/does not match/);
    const foreign = signRegistry(contacts, stranger.privateKey);
    expect(() => assertRegistrySigned(contacts, foreign, key)).toThrow(/not by the configured key/);
    expect(() => assertRegistrySigned(contacts, undefined, key)).toThrow(/not signed/);
    expect(() =>
      publicKeyFrom(
        generateKeyPairSync("x25519").publicKey.export({ format: "pem", type: "spki" }).toString(),
      ),
    ).toThrow(/Ed25519/);
  });
});

describe("start-up with a registry public key", () => {
  const dir = mkdtempSync(join(tmpdir(), "guardline-generated-"));
  cpSync(GENERATED_DIR, dir, { recursive: true });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const bundlePath = join(dir, "knowledge.json");
  const bundle = JSON.parse(readFileSync(bundlePath, "utf8"));

  it("loads a signed registry and refuses an unsigned or altered one", () => {
    // Unsigned
    writeFileSync(bundlePath, JSON.stringify(bundle));
    expect(() => loadBrain(dir, { registryPublicKey: publicBase64 })).toThrow(/not signed/);

    // Signed
    const signed = {
      ...bundle,
      knowledge: { ...bundle.knowledge, contactsSignature: signRegistry(contacts, operator.privateKey) },
    };
    writeFileSync(bundlePath, JSON.stringify(signed));
    expect(loadBrain(dir, { registryPublicKey: publicBase64 }).knowledge.contacts.version).toBe(
      contacts.version,
    );

    // A contact slipped in after signing
    signed.knowledge.contacts.contacts[0].value = "+1 202-555-0142";
    writeFileSync(bundlePath, JSON.stringify(signed));
    expect(() => loadBrain(dir, { registryPublicKey: publicBase64 })).toThrow(/does not match/);
    expect(() => loadBrain(dir)).not.toThrow();
  });
});
