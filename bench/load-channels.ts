import type { FakeMeta } from "../tests/support/fake-meta.ts";
import {
  messengerNotification,
  metaSignature,
  whatsappNotification,
  whatsappStatusNotification,
} from "../tests/support/meta-notifications.ts";
import type { CostRow } from "./load-cost.ts";
import { type Built, type Calibration, type Measured, markedText, newMarker } from "./load-support.ts";

/**
 * The users' side of each channel, as its platform sends it: one request builder per scenario (a new
 * user per message under load) and a calibration that sends conversations of three messages one
 * request at a time and measures what each kind of request costs.
 */

export const TELEGRAM_TOKEN = "7012345678:AAHloadTokenNotReal_abcdefghijkl";
export const TELEGRAM_SECRET = "load-test-secret";
export const META_SECRET = "load-meta-app-secret";

/** The environment that turns the channels on, against the fake platform APIs at these roots. */
export function channelEnv(roots: { telegram: string; meta: string }): Record<string, string> {
  return {
    TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
    TELEGRAM_SECRET_TOKEN: TELEGRAM_SECRET,
    TELEGRAM_API_ROOT: roots.telegram,
    META_APP_SECRET: META_SECRET,
    META_VERIFY_TOKEN: "load-verify-token",
    META_ACCESS_TOKEN: "load-access-token",
    META_API_ROOT: roots.meta,
  };
}

const JSON_HEADERS = { "content-type": "application/json" };
let next = 1;

export function webRequest(marker: string, sessionId = `load-${marker}-session`): Built {
  return {
    path: "/web/messages",
    headers: JSON_HEADERS,
    body: JSON.stringify({ sessionId, clientMessageId: marker, text: markedText(marker) }),
  };
}

export const TELEGRAM_HEADERS = { ...JSON_HEADERS, "x-telegram-bot-api-secret-token": TELEGRAM_SECRET };

/** A private-chat text update (each from a chat of its own unless `chatId` is given). */
export function telegramRequest(marker: string, chatId?: number, text = markedText(marker)): Built {
  const id = next++;
  const chat = chatId ?? 100_000_000 + id;
  const command = text.startsWith("/")
    ? { entities: [{ type: "bot_command", offset: 0, length: text.length }] }
    : {};
  return {
    path: "/webhooks/telegram",
    headers: TELEGRAM_HEADERS,
    body: JSON.stringify({
      update_id: id,
      message: {
        message_id: id,
        date: Math.floor(Date.now() / 1000),
        chat: { id: chat, type: "private" },
        from: { id: chat, is_bot: false, first_name: "Load" },
        text,
        ...command,
      },
    }),
  };
}

/**
 * A signed WhatsApp or Messenger notification carrying one text message; `key` is the event id the
 * store keeps for it (`wa:<wamid>`, `fb:<mid>`), so each Meta message id is counted back.
 */
export function metaRequest(
  marker: string,
  platform: MetaPlatform = next % 2 === 0 ? "whatsapp" : "messenger",
  user = next,
  text = markedText(marker),
): Built & { key: string } {
  const n = next++;
  const whatsapp = platform === "whatsapp";
  const id = whatsapp ? `wamid.load${n}` : `m_load${n}`;
  const notification = whatsapp
    ? whatsappNotification(waId(user), [{ id, type: "text", text: { body: text } }])
    : messengerNotification(String(7_000_000_000_000_000 + user), [{ message: { mid: id, text } }]);
  return { ...signedMeta(notification), key: `${whatsapp ? "wa" : "fb"}:${id}` };
}

type MetaPlatform = "whatsapp" | "messenger";

/** A Hong Kong mobile number per user (Traditional Chinese by default, as the adapter infers). */
const waId = (user: number) => `8525${String(user % 10_000_000).padStart(7, "0")}`;

function signedMeta(notification: Record<string, unknown>): Built {
  const body = JSON.stringify(notification);
  return {
    path: "/webhooks/meta",
    headers: { ...JSON_HEADERS, "x-hub-signature-256": metaSignature(body, META_SECRET) },
    body,
  };
}

/** What the calibrations send: conversations of this many messages, this many conversations. */
const TURNS = 3;
const CONVERSATIONS = 40;

/** One built request, as fetch sends it. */
export async function send(base: URL, built: Built): Promise<Response> {
  return fetch(new URL(built.path.slice(1), base), {
    method: built.method ?? "POST",
    headers: built.headers,
    ...(built.body === undefined ? {} : { body: built.body }),
  });
}

/**
 * The web chat as its page uses it: each message is a POST and then a GET of what came after the
 * page's cursor; while the page stays open it polls that GET every 3 s (measured as its own route).
 */
export async function calibrateWeb(calibration: Calibration, base: URL): Promise<CostRow[]> {
  for (let c = 0; c < CONVERSATIONS; c++) {
    const sessionId = `load-calibration-${newMarker()}`;
    let cursor = "";
    for (let turn = 0; turn < TURNS; turn++) {
      await calibration.time("POST /web/messages", () => send(base, webRequest(newMarker(), sessionId)));
      const list = (after: string) => () =>
        send(base, {
          method: "GET",
          path: `/web/messages?sessionId=${sessionId}${after ? `&after=${after}` : ""}`,
          headers: {},
        });
      const synced = await calibration.time("GET /web/messages", list(cursor));
      cursor = ((await synced.json()) as { cursor: string }).cursor;
      await calibration.time("GET /web/messages (poll)", list(cursor));
    }
  }
  const post = calibration.measured("POST /web/messages");
  const sync = calibration.measured("GET /web/messages");
  const poll = calibration.measured("GET /web/messages (poll)");
  return [
    { label: "web chat messages", invocations: [once(post), once(sync)] },
    { label: "minutes a web chat page stays open", invocations: [{ ...once(poll), perUnit: 20 }] },
  ];
}

export async function calibrateTelegram(calibration: Calibration, base: URL): Promise<CostRow[]> {
  for (let c = 0; c < CONVERSATIONS; c++) {
    const chat = 200_000_000 + c;
    for (let turn = 0; turn < TURNS; turn++)
      await calibration.time("POST /webhooks/telegram", () =>
        send(base, telegramRequest(newMarker(), chat, markedText(newMarker(), turn + c))),
      );
  }
  return [
    {
      label: "Telegram messages",
      invocations: [once(calibration.measured("POST /webhooks/telegram"))],
    },
  ];
}

/**
 * WhatsApp and Messenger. For every message WhatsApp sends the business "sent", "delivered" and
 * (with read receipts on) "read" for each of the bot's messages: three more webhook calls each, which
 * the adapter ignores. Messenger sends deliveries and reads only to apps subscribed to them, which
 * this setup is not (README, "Connect WhatsApp and Messenger").
 */
export async function calibrateMeta(
  calibration: Calibration,
  base: URL,
  graph: FakeMeta,
): Promise<CostRow[]> {
  const rows: CostRow[] = [];
  for (const platform of ["whatsapp", "messenger"] as const) {
    const route = `POST /webhooks/meta (${platform})`;
    const before = graph.calls.length;
    for (let c = 0; c < CONVERSATIONS; c++) {
      const user = 9_000_000 + c;
      for (let turn = 0; turn < TURNS; turn++) {
        const text = markedText(newMarker(), turn + c);
        await calibration.time(route, () => send(base, metaRequest(newMarker(), platform, user, text)));
        if (platform === "whatsapp")
          for (const status of ["sent", "delivered", "read"] as const)
            await calibration.time("POST /webhooks/meta (status)", () =>
              send(base, signedMeta(whatsappStatusNotification(waId(user), status))),
            );
      }
    }
    const message = calibration.measured(route);
    const sendCalls = (graph.calls.length - before) / message.n;
    const invocations = [once(message)];
    if (platform === "whatsapp")
      invocations.push({
        ...once(calibration.measured("POST /webhooks/meta (status)")),
        perUnit: 3 * sendCalls,
      });
    rows.push({ label: `${platform === "whatsapp" ? "WhatsApp" : "Messenger"} messages`, invocations });
  }
  return rows;
}

/** One invocation of the route per unit. */
export function once(measured: Measured): CostRow["invocations"][number] {
  return { measured, perUnit: 1 };
}
