import type { Knowledge, MessageKey } from "../../core/content.ts";
import type { Locale } from "../../core/locale.ts";
import type { Reply } from "../../core/policy.ts";
import { render } from "../../core/render.ts";
import { ForbiddenError, UnauthorizedError, ValidationError } from "../../errors.ts";
import { type BotDependencies, handleInbound } from "../../handoff/inbound.ts";
import type { HttpResult } from "../../http/api-gateway.ts";
import { log } from "../../log.ts";
import { validate } from "../../validate.ts";
import type { ButtonSigner } from "../button-signer.ts";
import { secretMatches } from "../constant-time.ts";
import { FORGET } from "../forget.ts";
import { isTransient } from "../transient.ts";
import { GraphApi } from "./graph-api.ts";
import {
  type MetaEvent,
  type MetaUser,
  messengerMessages,
  metaButtonSigner,
  metaEvents,
  metaUserKey,
  signatureValid,
  whatsappMessages,
} from "./meta.adapter.ts";
import { metaNotificationSchema } from "./meta.schemas.ts";

export interface MetaSettings {
  appSecret: string;
  verifyToken: string;
  accessToken: string;
  apiRoot: string;
  /** As for Telegram: a redelivered message is answered again only when its first handling is this old. */
  replayAfterMs?: number;
}

const OK: HttpResult = { statusCode: 200, body: "" };

/**
 * WhatsApp Cloud API and Messenger through one Meta webhook: `hub.challenge` verification on GET;
 * on POST the `X-Hub-Signature-256` HMAC over the raw body is checked before parsing, then every
 * message in the notification goes through the bot path in order and is answered with the Send API.
 * Meta redelivers anything not answered 200, so only transient failures (store, Graph API
 * unavailable) fail the request; the stored turn makes a redelivery replay, not re-run.
 */
export class MetaChannel {
  private readonly signer: ButtonSigner;
  private readonly graph: GraphApi;

  constructor(
    private readonly settings: MetaSettings,
    private readonly deps: BotDependencies,
  ) {
    this.signer = metaButtonSigner(settings.appSecret);
    this.graph = new GraphApi(settings.apiRoot, settings.accessToken);
  }

  /** GET /webhooks/meta: answers Meta's subscription check with the challenge, if the token is ours. */
  verify(query: Record<string, string | undefined>): HttpResult {
    const challenge = query["hub.challenge"] ?? "";
    if (
      query["hub.mode"] !== "subscribe" ||
      !secretMatches(query["hub.verify_token"], this.settings.verifyToken)
    ) {
      throw new ForbiddenError("hub.verify_token: not this webhook's token");
    }
    if (!/^[A-Za-z0-9_-]{1,128}$/.test(challenge)) {
      throw new ValidationError("hub.challenge: expected 1–128 letters, digits, _ or -", {
        field: "hub.challenge",
      });
    }
    return { statusCode: 200, headers: { "content-type": "text/plain; charset=utf-8" }, body: challenge };
  }

  /** POST /webhooks/meta: verify, parse, answer each message; 200 unless worth a redelivery. */
  async webhook(headers: Record<string, string | undefined>, body: Buffer): Promise<HttpResult> {
    if (!signatureValid(this.settings.appSecret, headers["x-hub-signature-256"], body)) {
      throw new UnauthorizedError("X-Hub-Signature-256: missing or not signed with this app's secret");
    }
    let json: unknown;
    try {
      json = JSON.parse(body.toString("utf8"));
    } catch (error) {
      throw new ValidationError("body: not valid JSON", { cause: error, field: "body" });
    }
    const object = (json as { object?: unknown } | null)?.object;
    if (object !== "whatsapp_business_account" && object !== "page") {
      log("info", "meta notification ignored", { reason: "object not handled" });
      return OK;
    }
    const notification = validate(metaNotificationSchema, json, "notification");
    for (const event of metaEvents(notification, this.signer)) {
      try {
        await this.handle(event);
      } catch (error) {
        if (isTransient(error)) throw error;
        log("error", "meta message failed", { kind: event.kind, errorName: (error as Error).name });
      }
    }
    return OK;
  }

  private async handle(event: MetaEvent): Promise<void> {
    log("info", "meta message", {
      kind: event.kind,
      ...(event.kind === "ignore" ? { reason: event.reason } : { platform: event.user.platform }),
    });
    switch (event.kind) {
      case "ignore":
        return;
      case "unsupported":
      case "expired": {
        const locale = await this.localeOf(event.user, event.locale);
        const key = event.kind === "expired" ? "expiredButton" : "unsupportedMessage";
        return this.send(event.user, [{ text: this.say(locale, key) }], locale);
      }
      case "forget":
        return this.forget(event);
      case "inbound": {
        const outcome = await handleInbound(this.deps, event.message);
        if (
          outcome.duplicate &&
          Date.now() - Date.parse(outcome.at) < (this.settings.replayAfterMs ?? 15_000)
        ) {
          log("info", "meta duplicate not answered again", {});
          return;
        }
        return this.send(event.user, outcome.replies, outcome.language);
      }
    }
  }

  /** "/forget": ask with two buttons; only the confirmation deletes the stored conversations. */
  private async forget(event: Extract<MetaEvent, { kind: "forget" }>): Promise<void> {
    const locale = await this.localeOf(event.user, event.locale);
    const say = (key: MessageKey) => this.say(locale, key);
    if (event.step === "ask") {
      const buttons = [
        { id: FORGET.confirm, label: say("forgetYesButton") },
        { id: FORGET.cancel, label: say("forgetNoButton") },
      ];
      return this.send(event.user, [{ text: say("forgetConfirm"), buttons }], locale);
    }
    if (event.step === "confirm") {
      const deleted = await this.deps.store.forgetUser(metaUserKey(event.user));
      log("info", "meta conversation forgotten", { items: deleted });
      return this.send(event.user, [{ text: say("forgetDone") }], locale);
    }
    return this.send(event.user, [{ text: say("forgetCancelled") }], locale);
  }

  /** Sends replies in order, each rendered for the user's platform. */
  private async send(user: MetaUser, replies: Reply[], locale: Locale): Promise<void> {
    const labels = { choose: this.say(locale, "chooseButton"), prompt: this.say(locale, "choosePrompt") };
    for (const reply of replies) {
      const messages =
        user.platform === "whatsapp"
          ? whatsappMessages(reply, user, this.signer, labels)
          : messengerMessages(reply, user, this.signer);
      for (const message of messages) await this.graph.send(user, message);
    }
  }

  /** The conversation's language if there is one, else the hint, else Simplified Chinese. */
  private async localeOf(user: MetaUser, hint: Locale | undefined): Promise<Locale> {
    const { current } = await this.deps.store.loadHead(metaUserKey(user));
    return current?.language ?? hint ?? "zh-Hans";
  }

  private say(locale: Locale, key: MessageKey): string {
    const knowledge: Knowledge = this.deps.brain.knowledge;
    return render(knowledge.messages[key][locale], knowledge, locale);
  }
}
