import { DiscordChannel, type DiscordFollowUpEvent } from "../channels/discord/discord.channel.ts";
import { DynamoDeliveryLedger } from "../store/delivery-ledger.ts";
import type { ChannelFactory } from "./runtime.ts";

/** The Discord channel, when its application id, public key and bot token are set. */
export const discordChannel: ChannelFactory = (runtime) => {
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
  const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME;
  return new DiscordChannel({
    applicationId: env.DISCORD_APPLICATION_ID,
    publicKey: env.DISCORD_PUBLIC_KEY,
    botToken: env.DISCORD_BOT_TOKEN,
    apiRoot: env.DISCORD_API_ROOT,
    deferAfterMs: env.DISCORD_DEFER_AFTER_MS,
    ...(functionName
      ? {
          handOff: (followUp: DiscordFollowUpEvent) => invokeSelf(functionName, followUp),
          // Only an asynchronous invocation is retried, so only it counts what it delivered.
          ledger: new DynamoDeliveryLedger(runtime.store.client, env.TABLE_NAME),
        }
      : {}),
  });
};

/**
 * In Lambda the function is frozen once it returns, so the rest of a deferred interaction runs in
 * a second, asynchronous invocation of the same function (the Lambda runtime's own client, not
 * bundled).
 */
async function invokeSelf(functionName: string, followUp: DiscordFollowUpEvent): Promise<void> {
  const { LambdaClient, InvokeCommand } = await import("@aws-sdk/client-lambda");
  await new LambdaClient({}).send(
    new InvokeCommand({
      FunctionName: functionName,
      InvocationType: "Event",
      Payload: JSON.stringify(followUp),
    }),
  );
}
