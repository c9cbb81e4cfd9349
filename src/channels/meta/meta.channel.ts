import { ConflictError, ForbiddenError, UnauthorizedError, ValidationError } from "../../errors.ts";
import { parseJson, withinLimit } from "../../http/api-gateway.ts";
import { logger } from "../../log.ts";
import { validate } from "../../validate.ts";
import type { ButtonSigner } from "../button-signer.ts";
import { secretMatches } from "../constant-time.ts";
import { addressed } from "../events.ts";
import { splitText } from "../split-text.ts";
import type {
  Answer,
  AnswerableEvent,
  ChannelAdapter,
  ChannelEvent,
  ChannelLimits,
  ChannelRequest,
  ChannelResponse,
  Exchange,
  Recipient,
} from "../types.ts";
import { GraphApi, MetaApiError } from "./graph-api.ts";
import {
  MESSENGER,
  type MetaEvent,
  messengerMessages,
  metaButtonSigner,
  metaEvents,
  signatureValid,
  WHATSAPP,
  whatsappMessages,
} from "./meta.adapter.ts";
import { type MetaUser, metaUserKey, parseMetaUserKey, replyWindowEnds } from "./meta.address.ts";
import { metaNotificationSchema } from "./meta.schemas.ts";

export interface MetaSettings {
  appSecret: string;
  verifyToken: string;
  accessToken: string;
  apiRoot: string;
  /** As for Telegram: a redelivered message is answered again only when its first handling is this old. */
  replayAfterMs?: number;
}

const OK: ChannelResponse = { statusCode: 200, body: "" };
/** Meta's notifications are small; anything larger is not one. */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * WhatsApp Cloud API and Messenger through one Meta webhook: `hub.challenge` verification on GET;
 * on POST the `X-Hub-Signature-256` HMAC over the raw body is checked before parsing, then every
 * message in the notification becomes an event, answered in order with the Send API. Meta
 * redelivers anything not answered 200, so only transient failures (store, Graph API unavailable)
 * fail the request; the stored turn makes a redelivery replay, not re-run.
 */
export class MetaChannel implements ChannelAdapter<MetaUser> {
  readonly name = "meta";
  readonly limits: ChannelLimits;
  private readonly signer: ButtonSigner;
  private readonly graph: GraphApi;

  constructor(private readonly settings: MetaSettings) {
    this.signer = metaButtonSigner(settings.appSecret);
    this.graph = new GraphApi(settings.apiRoot, settings.accessToken);
    this.limits = {
      redelivers: true,
      replayAfterMs: settings.replayAfterMs ?? 15_000,
    };
  }

  async receive(request: ChannelRequest) {
    if (request.method === "GET") return { response: this.verify(request.query) };
    withinLimit(request.body, MAX_BODY_BYTES);
    if (!signatureValid(this.settings.appSecret, request.headers["x-hub-signature-256"], request.body)) {
      throw new UnauthorizedError("X-Hub-Signature-256: missing or not signed with this app's secret");
    }
    const json = parseJson(request.body);
    // Every notification Meta sends names its object. Without one the body is no notification: a
    // 400 (only whoever holds the app secret can send it, so no Meta retry follows). An object this
    // app does not serve (Instagram) is acknowledged, or Meta would retry it for hours to no end. A
    // served object in a shape we cannot read is a 400 naming the field: Meta retries it with
    // back-off and the app dashboard shows the failures, so a change of format is noticed, not lost.
    const object = (json as { object?: unknown } | null)?.object;
    if (typeof object !== "string") {
      throw new ValidationError("object: expected a Meta notification's object", { field: "object" });
    }
    if (object !== "whatsapp_business_account" && object !== "page") {
      logger.info("meta notification ignored", { reason: "object not handled" });
      return { response: OK };
    }
    const notification = validate(metaNotificationSchema, json, "notification");
    return { events: metaEvents(notification, this.signer).map(channelEvent) };
  }

  /** GET /webhooks/meta: answers Meta's subscription check with the challenge, if the token is ours. */
  private verify(query: Record<string, string | undefined>): ChannelResponse {
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

  exchange(): Exchange<MetaUser> {
    return {
      reply: async (event: AnswerableEvent<MetaUser>, answer: () => Promise<Answer | undefined>) => {
        const result = await answer();
        if (result) await this.send(event.to, result);
      },
      finish: () => OK,
    };
  }

  /** Sends an answer's replies in order, each rendered for the user's platform. */
  private async send(user: MetaUser, answer: Answer): Promise<void> {
    const labels = { choose: answer.say("chooseButton"), prompt: answer.say("choosePrompt") };
    for (const reply of answer.replies) {
      const messages =
        user.platform === "whatsapp"
          ? whatsappMessages(reply, user, this.signer, labels)
          : messengerMessages(reply, user, this.signer);
      for (const message of messages) await this.graph.send(user, message);
    }
  }

  /**
   * Meta's messaging windows (see replyWindowEnds) are checked before sending: WhatsApp accepts a late
   * message and only fails it afterwards in a status webhook. Outside the window the agent is told so
   * plainly; the reply stays in the transcript.
   */
  async deliver(to: Recipient, text: string, from: "agent" | "bot"): Promise<void> {
    const user = parseMetaUserKey(to.userKey);
    if (!user) throw new ConflictError("this conversation has no WhatsApp / Messenger address");
    const closed = () =>
      new ConflictError(
        `the user last wrote too long ago (${user.platform === "messenger" && from === "agent" ? "7 days" : "24 hours"}), so ${user.platform === "whatsapp" ? "WhatsApp" : "Messenger"} does not take the message; it is saved in the transcript`,
      );
    if (Date.now() > replyWindowEnds(user, to.userWroteAt ?? to.updatedAt, from).getTime()) throw closed();
    const limit = user.platform === "whatsapp" ? WHATSAPP.text : MESSENGER.text;
    try {
      for (const part of splitText(text, limit)) {
        const message =
          user.platform === "whatsapp"
            ? { type: "text" as const, text: { body: part, preview_url: false as const } }
            : { text: part };
        await this.graph.send(user, message, {
          humanAgent: user.platform === "messenger" && from === "agent",
        });
      }
    } catch (error) {
      if (error instanceof MetaApiError && error.windowClosed) throw closed();
      throw error;
    }
  }
}

function channelEvent(event: MetaEvent): ChannelEvent<MetaUser> {
  logger.info("meta message", {
    kind: event.kind,
    ...(event.kind === "ignore" ? { reason: event.reason } : { platform: event.user.platform }),
  });
  if (event.kind === "ignore") return event;
  return addressed(event, event.user, metaUserKey(event.user));
}
