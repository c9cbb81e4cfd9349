import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as z from "zod/mini";
import { CHANNEL_NAMES, CHANNEL_SETTINGS, type ChannelName } from "./channels/registry.ts";
import { optionalText } from "./channels/settings.ts";
import { IntentClassifier } from "./core/classifier.ts";
import { type Knowledge, knowledgeSchema } from "./core/content.ts";
import { LinearModel } from "./core/model.ts";
import { assertRegistrySigned, publicKeyFrom } from "./core/safety/registry-signature.ts";
import { validate } from "./validate.ts";

/**
 * Where `npm run build:model` writes the product model and the knowledge bundle. In a Lambda package
 * the files sit at the package root, which is not the bundle's own folder.
 */
export const GENERATED_DIR = process.env.LAMBDA_TASK_ROOT
  ? join(process.env.LAMBDA_TASK_ROOT, "generated")
  : join(import.meta.dirname, "..", "generated");

export const knowledgeFileSchema = z.strictObject({ sourceHash: z.string(), knowledge: knowledgeSchema });

export interface Brain {
  classifier: IntentClassifier;
  knowledge: Knowledge;
  sourceHash: string;
}

/**
 * Loads the generated knowledge bundle (content, contacts, messages), validated: a bad bundle must
 * stop a cold start. With a registry public key, a contact registry whose signature does not verify
 * stops it too. Functions that never classify (the agent API, the scheduled job) need only this.
 */
export function loadKnowledge(
  dir: string = GENERATED_DIR,
  options: { registryPublicKey?: string } = {},
): { knowledge: Knowledge; sourceHash: string } {
  const knowledgePath = join(dir, "knowledge.json");
  if (!existsSync(knowledgePath)) throw new Error(`${dir} has no product model: run "npm run build:model"`);
  const bundle = validate(
    knowledgeFileSchema,
    JSON.parse(readFileSync(knowledgePath, "utf8")),
    knowledgePath,
  );
  if (options.registryPublicKey) {
    const { contacts, contactsSignature } = bundle.knowledge;
    assertRegistrySigned(contacts, contactsSignature, publicKeyFrom(options.registryPublicKey));
  }
  return bundle;
}

/** The knowledge bundle and the classifier model, which must come from the same build. */
export function loadBrain(dir: string = GENERATED_DIR, options: { registryPublicKey?: string } = {}): Brain {
  const modelPath = join(dir, "model.json");
  if (!existsSync(modelPath)) throw new Error(`${dir} has no product model: run "npm run build:model"`);
  const bundle = loadKnowledge(dir, options);
  const model = LinearModel.fromJson(readFileSync(modelPath, "utf8"));
  if (model.training.sourceHash !== bundle.sourceHash) {
    throw new Error(
      `${dir}: model and knowledge bundle come from different builds: run "npm run build:model"`,
    );
  }
  return {
    classifier: new IntentClassifier(model),
    knowledge: bundle.knowledge,
    sourceHash: bundle.sourceHash,
  };
}

const commonEnv = z.object({
  PORT: z._default(z.coerce.number().check(z.int(), z.gte(0), z.lte(65_535)), 3000),
  HOST: z._default(z.string().check(z.minLength(1)), "127.0.0.1"),
  TABLE_NAME: z._default(
    z.string().check(z.regex(/^[A-Za-z0-9_.-]{3,255}$/, "3–255 of A-Z a-z 0-9 _ . -")),
    "guardline",
  ),
  DYNAMODB_ENDPOINT: z.optional(z.url({ protocol: /^https?$/ })),
  AWS_REGION: optionalText,
  DATA_DIR: z._default(z.string().check(z.minLength(1)), ".data"),
  RETENTION_DAYS: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(3650)), 90),
  /** A held conversation with no agent action for this long goes back to the bot. */
  AGENT_IDLE_MINUTES: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(10_080)), 30),
  /** A conversation unclaimed this long is escalated. */
  HANDOFF_SLA_MINUTES: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(10_080)), 10),
  LOG_LEVEL: z._default(z.enum(["debug", "info", "warn", "error"]), "info"),
  /** The operator's Ed25519 public key (PEM or base64 SPKI): when set, the registry must be signed by it. */
  REGISTRY_PUBLIC_KEY: optionalText,
});

/** The whole environment: the common settings and every channel's own (src/channels/<platform>/). */
const envSchema: z.ZodMiniObject = CHANNEL_NAMES.reduce<z.ZodMiniObject>(
  (schema, name) => z.extend(schema, CHANNEL_SETTINGS[name].env.shape),
  commonEnv,
);

type Intersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;
type ChannelEnv = Intersection<z.infer<(typeof CHANNEL_SETTINGS)[ChannelName]["env"]>>;
export type Env = z.infer<typeof commonEnv> & ChannelEnv;

export interface ChannelStatus {
  enabled: boolean;
  /** Why a channel is off: which variables are missing. */
  reason?: string;
}

export interface Config {
  env: Env;
  channels: Record<ChannelName, ChannelStatus>;
}

/** Validates the environment once per cold start; a bad value stops the start with a readable error. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  // The schema is built from the registry, so its static type is the union's intersection.
  const env = validate(envSchema, source, "environment") as Env;
  const channels = Object.fromEntries(
    CHANNEL_NAMES.map((name) => [name, channelStatus(CHANNEL_SETTINGS[name].credentials, env)]),
  ) as Record<ChannelName, ChannelStatus>;
  return { env, channels };
}

/** A channel is on only with every credential: never half-enabled. */
function channelStatus(credentials: readonly string[], env: Env): ChannelStatus {
  const missing = credentials.filter((v) => env[v as keyof Env] === undefined);
  if (missing.length > 0) return { enabled: false, reason: `missing ${missing.join(", ")}` };
  return { enabled: true };
}
