import { CHANNEL_SETTINGS } from "./channels/registry.ts";

/**
 * Secrets reach the functions from SSM Parameter Store, never from serverless.yml: with
 * `SECRETS_SSM_PATH` set (the stack sets `/guardline/<stage>/`), a cold start reads the SecureString
 * parameters under it once and exposes the known ones as environment variables before the
 * configuration is validated. `npm start` and tests leave it unset and use the environment.
 */
export const SECRET_NAMES: readonly string[] = Object.values(CHANNEL_SETTINGS).flatMap(
  (channel) => channel.secrets,
);

/** `/guardline/prod/telegram-bot-token` → `TELEGRAM_BOT_TOKEN`. */
export function secretNameFor(parameterName: string): string | undefined {
  const leaf = parameterName.split("/").at(-1) ?? "";
  const name = leaf.toUpperCase().replaceAll("-", "_");
  return SECRET_NAMES.includes(name) ? name : undefined;
}

let loaded: Promise<string[]> | undefined;

/** Loads the secrets once per process; returns the names it set (values never leave this function). */
export function loadSecrets(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const path = env.SECRETS_SSM_PATH;
  if (!path) return Promise.resolve([]);
  if (env !== process.env) return fetchSecrets(path, env);
  loaded ??= fetchSecrets(path, env);
  return loaded;
}

async function fetchSecrets(path: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  // Loaded only where secrets come from SSM: the local runtime never pays for this client.
  const { SSMClient, GetParametersByPathCommand } = await import("@aws-sdk/client-ssm");
  const client = new SSMClient({ maxAttempts: 3 });
  const set: string[] = [];
  try {
    let token: string | undefined;
    do {
      const page = await client.send(
        new GetParametersByPathCommand({
          Path: path,
          WithDecryption: true,
          ...(token ? { NextToken: token } : {}),
        }),
      );
      for (const parameter of page.Parameters ?? []) {
        const name = parameter.Name ? secretNameFor(parameter.Name) : undefined;
        if (!name || parameter.Value === undefined || env[name]) continue;
        env[name] = parameter.Value;
        set.push(name);
      }
      token = page.NextToken;
    } while (token);
  } finally {
    client.destroy();
  }
  return set;
}
