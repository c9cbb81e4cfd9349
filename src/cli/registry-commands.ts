import { createPrivateKey, generateKeyPairSync } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { stringify } from "yaml";
import { CONTENT_DIR, loadContent, REGISTRY_SIGNATURE_FILE } from "../content-loader.ts";
import {
  assertRegistrySigned,
  keyId,
  publicKeyFrom,
  signRegistry,
} from "../core/safety/registry-signature.ts";
import { ValidationError } from "../errors.ts";

/**
 * The registry-signing workflow (README: "Signing the contact registry"): make a key pair once, keep
 * the private key off the servers, sign after every change to contacts.yaml, deploy with the public
 * key in REGISTRY_PUBLIC_KEY.
 */
export function keygenCommand(args: string[]): void {
  const { values } = parseArgs({ args, options: { out: { type: "string" } } });
  if (!values.out) throw new ValidationError("--out <dir> is required (somewhere outside the repository)");
  const path = join(values.out, "registry-private.pem");
  if (existsSync(path)) throw new ValidationError(`${path} exists; refusing to overwrite a signing key`);
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  mkdirSync(values.out, { recursive: true });
  writeFileSync(path, privateKey.export({ format: "pem", type: "pkcs8" }), { mode: 0o600 });
  const spki = publicKey.export({ format: "der", type: "spki" }).toString("base64");
  console.log(`private key: ${path} (keep it offline; anyone with it can vouch for contacts)`);
  console.log(`key id:      ${keyId(publicKey)}`);
  console.log(`public key:  ${spki}`);
  console.log("set REGISTRY_PUBLIC_KEY to the public key where Guardline runs.");
}

export function signCommand(args: string[]): void {
  const { values } = parseArgs({
    args,
    options: { key: { type: "string" }, content: { type: "string", default: CONTENT_DIR } },
  });
  if (!values.key) throw new ValidationError("--key <registry-private.pem> is required");
  const { knowledge } = loadContent(values.content);
  const privateKey = createPrivateKey(readFileSync(values.key));
  const signature = signRegistry(knowledge.contacts, privateKey);
  const header =
    "# Signature of contacts.yaml by the operator's registry key: made by `cli registry:sign`.\n";
  writeFileSync(join(values.content, REGISTRY_SIGNATURE_FILE), header + stringify(signature));
  console.log(`signed contact registry version ${signature.version} with key ${signature.keyId}`);
}

export function verifyCommand(args: string[]): void {
  const { values } = parseArgs({
    args,
    options: { "public-key": { type: "string" }, content: { type: "string", default: CONTENT_DIR } },
  });
  const text = values["public-key"] ?? process.env.REGISTRY_PUBLIC_KEY;
  if (!text)
    throw new ValidationError("--public-key <base64 or PEM file> (or REGISTRY_PUBLIC_KEY) is required");
  const key = publicKeyFrom(existsSync(text) ? readFileSync(text, "utf8") : text);
  const { knowledge } = loadContent(values.content);
  try {
    assertRegistrySigned(knowledge.contacts, knowledge.contactsSignature, key);
  } catch (error) {
    throw new ValidationError((error as Error).message, { cause: error });
  }
  console.log(`contact registry version ${knowledge.contacts.version} is signed by key ${keyId(key)}`);
}
