import { log } from "../../log.ts";
import type { Runtime } from "../../runtime.ts";
import { DiscordChannel, type DiscordSettings } from "./discord.channel.ts";
import type { DiscordInteraction } from "./discord.schemas.ts";

const channels = new WeakMap<Runtime, DiscordChannel>();

/** An asynchronous invocation of this same function that finishes a deferred interaction. */
export interface DiscordFollowUpEvent {
  guardlineDiscordFollowUp: DiscordInteraction;
}

/**
 * In Lambda the function is frozen once it returns, so the rest of a deferred interaction runs in
 * a second, asynchronous invocation of the same function (the SSM-style runtime client, not
 * bundled); under `npm start` it simply goes on in the process.
 */
const handOff: DiscordSettings["handOff"] = async (interaction, finish) => {
  const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME;
  if (!functionName) {
    finish().catch((error: unknown) =>
      log("error", "discord follow-up failed", { errorName: (error as Error).name }),
    );
    return;
  }
  const { LambdaClient, InvokeCommand } = await import("@aws-sdk/client-lambda");
  const payload: DiscordFollowUpEvent = { guardlineDiscordFollowUp: interaction };
  await new LambdaClient({}).send(
    new InvokeCommand({
      FunctionName: functionName,
      InvocationType: "Event",
      Payload: JSON.stringify(payload),
    }),
  );
};

/** The Discord channel of this runtime, built once; undefined when its credentials are not set. */
export function discordChannel(runtime: Runtime): DiscordChannel | undefined {
  const { config } = runtime;
  const env = config.env;
  if (
    !config.channels.discord.enabled ||
    !env.DISCORD_APPLICATION_ID ||
    !env.DISCORD_PUBLIC_KEY ||
    !env.DISCORD_BOT_TOKEN
  ) {
    return undefined;
  }
  let channel = channels.get(runtime);
  if (!channel) {
    const settings: DiscordSettings = {
      applicationId: env.DISCORD_APPLICATION_ID,
      publicKey: env.DISCORD_PUBLIC_KEY,
      botToken: env.DISCORD_BOT_TOKEN,
      apiRoot: env.DISCORD_API_ROOT,
      deferAfterMs: env.DISCORD_DEFER_AFTER_MS,
      handOff,
    };
    channel = new DiscordChannel(settings, runtime.bot);
    channels.set(runtime, channel);
  }
  return channel;
}
