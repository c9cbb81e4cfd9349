import { parseArgs } from "node:util";
import { registerDiscordCommands } from "../channels/discord/discord.commands.ts";
import { loadConfig } from "../config.ts";
import { ValidationError } from "../errors.ts";

/** `discord:register [--guild <id>]`: registers the slash commands globally, or in one server for testing. */
export async function registerCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { guild: { type: "string" } } });
  const { env } = loadConfig();
  if (!env.DISCORD_APPLICATION_ID || !env.DISCORD_BOT_TOKEN) {
    throw new ValidationError("set DISCORD_APPLICATION_ID and DISCORD_BOT_TOKEN first");
  }
  if (values.guild !== undefined && !/^\d{5,25}$/.test(values.guild))
    throw new ValidationError("--guild must be a server id");
  const app = {
    applicationId: env.DISCORD_APPLICATION_ID,
    botToken: env.DISCORD_BOT_TOKEN,
    apiRoot: env.DISCORD_API_ROOT,
  };
  const names = await registerDiscordCommands(app, values.guild);
  console.log(
    `registered ${names.length} commands ${values.guild ? `in server ${values.guild}` : "globally"}: ${names.map((n) => `/${n}`).join(" ")}`,
  );
}
