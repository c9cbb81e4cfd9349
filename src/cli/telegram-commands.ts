import { parseArgs } from "node:util";
import { Telegram } from "telegraf";
import { loadConfig } from "../config.ts";
import { ChannelApiError, ValidationError } from "../errors.ts";

/** The updates the webhook handles; everything else Telegram need not send. */
export const ALLOWED_UPDATES = ["message", "edited_message", "callback_query"] as const;

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
  const telegram = new Telegram(env.TELEGRAM_BOT_TOKEN, { apiRoot: env.TELEGRAM_API_ROOT });
  try {
    const ok = await telegram.setWebhook(url.toString(), {
      secret_token: env.TELEGRAM_SECRET_TOKEN,
      allowed_updates: [...ALLOWED_UPDATES],
      drop_pending_updates: values["drop-pending-updates"],
    });
    const info = await telegram.getWebhookInfo();
    console.log(JSON.stringify({ ok, webhook: info }, null, 2));
  } catch (error) {
    const code = (error as { code?: number }).code ?? 0;
    const description = (error as { description?: string }).description ?? (error as Error).message;
    throw new ChannelApiError("telegram", "setWebhook", code, `Telegram answered: ${description}`, {
      cause: error,
    });
  }
}
