import { parseArgs } from "node:util";
import { TelegramApi } from "../channels/telegram/telegram.api.ts";
import { loadConfig } from "../config.ts";
import { ValidationError } from "../errors.ts";

/**
 * `telegram:set-webhook --url https://…/webhooks/telegram [--drop-pending-updates]`: registers the
 * webhook with the secret token from TELEGRAM_SECRET_TOKEN and prints what Telegram answered.
 */
export async function setWebhookCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { url: { type: "string" }, "drop-pending-updates": { type: "boolean", default: false } },
  });
  const url = values.url ? new URL(values.url) : undefined;
  if (url?.protocol !== "https:")
    throw new ValidationError("--url must be the https URL of /webhooks/telegram");
  const { env } = loadConfig();
  if (!env.TELEGRAM_BOT_TOKEN || !env.TELEGRAM_SECRET_TOKEN) {
    throw new ValidationError("set TELEGRAM_BOT_TOKEN and TELEGRAM_SECRET_TOKEN first");
  }
  const telegram = new TelegramApi(env.TELEGRAM_BOT_TOKEN, env.TELEGRAM_API_ROOT);
  const ok = await telegram.setWebhook(
    url.toString(),
    env.TELEGRAM_SECRET_TOKEN,
    values["drop-pending-updates"],
  );
  const info = await telegram.getWebhookInfo();
  console.log(JSON.stringify({ ok, webhook: info }, null, 2));
}
