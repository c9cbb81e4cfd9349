import type { REST } from "@discordjs/rest";
import type { Routes as RoutesTable } from "discord-api-types/v10";
import { ChannelApiError, ConflictError, UnauthorizedError } from "../../errors.ts";
import { json, withinLimit } from "../../http/api-gateway.ts";
import { errorFields, logger } from "../../log.ts";
import { validate } from "../../validate.ts";
import type { ButtonSigner } from "../button-signer.ts";
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
  DeliveryLedger,
  Exchange,
  OutboundReply,
  Recipient,
} from "../types.ts";
import {
  DISCORD_CONTENT_LIMIT,
  type DiscordEvent,
  discordButtonSigner,
  discordEvent,
  discordMessages,
  discordUserKey,
  signatureValid,
} from "./discord.adapter.ts";
import { type DiscordInteraction, discordInteractionSchema } from "./discord.schemas.ts";

export interface DiscordSettings {
  applicationId: string;
  publicKey: string;
  botToken: string;
  apiRoot: string;
  /** Past this, answer "thinking…" (deferred) and finish with a follow-up; Discord allows 3 s. */
  deferAfterMs: number;
  /**
   * Where the rest of a deferred interaction runs. In Lambda, which freezes once it returns: a second,
   * asynchronous invocation with the DiscordFollowUpEvent, which `resume` reads. Without it (under
   * `npm start`) the answer already under way finishes in the process.
   */
  handOff?: (followUp: DiscordFollowUpEvent) => Promise<void>;
  /**
   * Counts the extra messages of a follow-up that Discord accepted, so Lambda's retry of a failed
   * follow-up posts only the rest. Editing "thinking…" is idempotent and needs no count; a one-message
   * answer (nearly all) costs no store request.
   */
  ledger?: DeliveryLedger;
}

/** An asynchronous invocation of this same function that finishes a deferred interaction. */
export interface DiscordFollowUpEvent {
  guardlineDiscordFollowUp: DiscordInteraction;
}

/** Where an answer goes: the interaction (its token answers it), for whom, and whether only they see it. */
export interface DiscordTo {
  interaction: DiscordInteraction;
  userId: string;
  ephemeral: boolean;
}

/** Interaction response types and message flags of the Discord API. */
const PONG = 1;
const MESSAGE = 4;
const DEFERRED = 5;
const AUTOCOMPLETE_RESULT = 8;
const MODAL = 9;
const EPHEMERAL = 64;
/** Interactions are small; anything larger is not one. */
const MAX_BODY_BYTES = 64 * 1024;
/** Discord's code for "Cannot send messages to this user" (DMs closed or no shared server). */
const DM_CLOSED = 50007;

type MessagePayload = ReturnType<typeof discordMessages>[number];

/**
 * The Discord channel over HTTP interactions: Ed25519 signature checked over the raw body before
 * parsing; slash commands, buttons and the free-text modal become events for the bot path; the
 * answer is the interaction response itself, or a deferred response finished by a follow-up when it
 * would not make Discord's 3 seconds. Agents' replies reach the user by DM from the bot.
 */
export class DiscordChannel implements ChannelAdapter<DiscordTo> {
  readonly name = "discord";
  readonly limits: ChannelLimits = {
    redelivers: false,
  };
  private readonly signer: ButtonSigner;
  private client: Promise<{ rest: REST; Routes: typeof RoutesTable }> | undefined;

  constructor(private readonly settings: DiscordSettings) {
    this.signer = discordButtonSigner(settings.botToken);
  }

  /**
   * The REST client, loaded on first use: an interaction's own response needs none, so the
   * webhook's cold start does not evaluate @discordjs/rest; follow-ups and agents' DMs load it.
   */
  api(): Promise<{ rest: REST; Routes: typeof RoutesTable }> {
    this.client ??= Promise.all([import("@discordjs/rest"), import("discord-api-types/v10")]).then(
      ([{ REST }, { Routes }]) => ({
        rest: new REST({ version: "10", api: this.settings.apiRoot, retries: 2 }).setToken(
          this.settings.botToken,
        ),
        Routes,
      }),
    );
    return this.client;
  }

  async receive(request: ChannelRequest) {
    const { headers, body } = request;
    withinLimit(body, MAX_BODY_BYTES);
    const valid = signatureValid(
      this.settings.publicKey,
      headers["x-signature-ed25519"],
      headers["x-signature-timestamp"],
      body,
    );
    if (!valid) throw new UnauthorizedError("invalid request signature");
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {
      return { response: respond(400, { error: { message: "body: not valid JSON", field: "body" } }) };
    }
    const interaction = validate(discordInteractionSchema, parsed, "interaction");
    const event = discordEvent(interaction, this.signer);
    logger.info("discord interaction", { type: interaction.type, kind: event.kind });
    if (event.kind === "ping") return { response: respond(200, { type: PONG }) };
    if (event.kind === "autocomplete") {
      return { response: respond(200, { type: AUTOCOMPLETE_RESULT, data: { choices: [] } }) };
    }
    return { events: [channelEvent(interaction, event)] };
  }

  exchange(): Exchange<DiscordTo> {
    return new InteractionExchange(this);
  }

  /** The follow-up invocation: the deferred interaction, answered by editing the "thinking…" message. */
  resume(payload: unknown) {
    const interaction = (payload as Partial<DiscordFollowUpEvent> | null)?.guardlineDiscordFollowUp;
    if (!interaction) return undefined;
    const event = discordEvent(interaction, this.signer);
    if (event.kind !== "inbound") return { events: [], exchange: this.exchange() };
    return { events: [channelEvent(interaction, event)], exchange: new FollowUpExchange(this) };
  }

  /** Agents' replies reach Discord users by DM from the bot: open the DM channel, then post in it. */
  async deliver(to: Recipient, text: string): Promise<void> {
    const userId = to.userKey.slice("discord:".length);
    try {
      const { rest, Routes } = await this.api();
      const channel = (await rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as {
        id: string;
      };
      for (const part of splitText(text, DISCORD_CONTENT_LIMIT)) {
        await rest.post(Routes.channelMessages(channel.id), { body: { content: part } });
      }
    } catch (error) {
      if ((error as { code?: unknown }).code === DM_CLOSED) {
        throw new ConflictError(
          "the user does not accept direct messages from the bot; the reply is saved in the transcript",
        );
      }
      const status = (error as { status?: number }).status ?? 0;
      throw new ChannelApiError("discord", "createMessage", status, "Discord did not take the message", {
        cause: error,
      });
    }
  }

  /** An answer as message payloads: one message when it fits in 2,000 characters, else several. */
  payloads(event: AnswerableEvent<DiscordTo>, answer: Answer): MessagePayload[] {
    const { userId } = event.to;
    const write = answer.say("writeReplyButton");
    if (event.kind === "forget" || event.kind === "notice") {
      // Plain notices; the forget question carries its two buttons.
      return answer.replies.map((reply) =>
        reply.buttons
          ? (discordMessages(reply, userId, this.signer, write)[0] ?? { content: reply.text })
          : { content: reply.text },
      );
    }
    const merged: OutboundReply = {
      text: answer.replies.map((r) => r.text).join("\n\n"),
      ...(answer.replies.at(-1)?.buttons ? { buttons: answer.replies.at(-1)?.buttons ?? [] } : {}),
    };
    if (!merged.text) return [];
    return discordMessages(merged, userId, this.signer, write);
  }

  /** The form that takes a free-text reply (Discord components cannot take text inline). */
  modal(userId: string, answer: Answer) {
    return {
      type: MODAL,
      data: {
        custom_id: this.signer.sign(userId, "reply"),
        title: [...answer.say("writeReplyTitle")].slice(0, 45).join(""),
        components: [
          {
            type: 1,
            components: [
              {
                type: 4,
                custom_id: "text",
                label: [...answer.say("writeReplyLabel")].slice(0, 45).join(""),
                style: 2,
                min_length: 1,
                max_length: 1000,
                required: true,
              },
            ],
          },
        ],
      },
    };
  }

  get deferAfterMs(): number {
    return this.settings.deferAfterMs;
  }

  /** Finishes a deferred interaction: by a later invocation when configured, else in this process. */
  async continueLater(event: AnswerableEvent<DiscordTo>, work: Promise<Answer | undefined>) {
    const { to } = event;
    const failed = (error: unknown) =>
      logger.error("discord follow-up failed", {
        ...errorFields(error),
      });
    const { handOff } = this.settings;
    if (handOff) {
      // The turn is (or will be) stored under the interaction id, so finishing replays it, never repeats it.
      work.catch(failed);
      await handOff({ guardlineDiscordFollowUp: to.interaction });
      return;
    }
    work
      .then((result) => (result ? this.followUp(to, this.payloads(event, result)) : undefined))
      .catch(failed);
  }

  /**
   * Edits the deferred "thinking…" message with the first payload and posts the rest. A retry edits
   * again (the same content) and skips the extra messages the ledger counts as delivered.
   */
  async followUp(to: DiscordTo, payloads: MessagePayload[]): Promise<void> {
    const [first, ...rest] = payloads;
    const webhook = { auth: false as const };
    const { applicationId, ledger } = this.settings;
    const { token } = to.interaction;
    const { rest: client, Routes } = await this.api();
    await client.patch(Routes.webhookMessage(applicationId, token, "@original"), {
      body: first ?? { content: "…" },
      ...webhook,
    });
    if (rest.length === 0) return;
    const key = `discord:${to.interaction.id}`;
    const delivered = ledger ? await ledger.delivered(key) : 0;
    const flags = to.ephemeral ? EPHEMERAL : 0;
    for (const [index, payload] of rest.entries()) {
      if (index < delivered) continue;
      await client.post(Routes.webhook(applicationId, token), { body: { ...payload, flags }, ...webhook });
      // A count that cannot be written costs a repeat only if a later part fails too: go on.
      await ledger
        ?.recordDelivered(key, index + 1)
        .catch((error: unknown) => logger.warn("discord follow-up count not recorded", errorFields(error)));
    }
  }
}

function respond(statusCode: number, body: unknown): ChannelResponse {
  return json(statusCode, body) as ChannelResponse;
}

function channelEvent(
  interaction: DiscordInteraction,
  event: Exclude<DiscordEvent, { kind: "ping" | "autocomplete" }>,
): ChannelEvent<DiscordTo> {
  // Everything but the bot path's answers in a server is for the user's eyes only.
  const to: DiscordTo = {
    interaction,
    userId: event.userId,
    ephemeral: event.kind === "inbound" ? event.ephemeral : true,
  };
  return addressed(event, to, discordUserKey(event.userId));
}

/** The interaction's own response: the answer when it is ready in time, else "thinking…" and a hand-off. */
class InteractionExchange implements Exchange<DiscordTo> {
  private response: Record<string, unknown> = { type: MESSAGE, data: { content: "…" } };

  constructor(private readonly channel: DiscordChannel) {}

  async reply(event: AnswerableEvent<DiscordTo>, answer: () => Promise<Answer | undefined>): Promise<void> {
    const flags = event.to.ephemeral ? { flags: EPHEMERAL } : {};
    if (event.kind !== "inbound") {
      const result = await answer();
      if (!result) return;
      if (event.kind === "prompt") {
        this.response = this.channel.modal(event.to.userId, result);
        return;
      }
      const [payload] = this.channel.payloads(event, result);
      this.response = { type: MESSAGE, data: { ...(payload ?? { content: "…" }), ...flags } };
      return;
    }
    const work = answer();
    const deadline = new Promise<"late">((resolve) => setTimeout(resolve, this.channel.deferAfterMs, "late"));
    const result = await Promise.race([work, deadline]);
    const payloads = result && result !== "late" ? this.channel.payloads(event, result) : undefined;
    if (payloads && payloads.length <= 1) {
      this.response = { type: MESSAGE, data: { ...(payloads[0] ?? { content: "…" }), ...flags } };
      return;
    }
    await this.channel.continueLater(event, work);
    this.response = { type: DEFERRED, data: flags };
  }

  finish(): ChannelResponse {
    return respond(200, this.response);
  }
}

/** A deferred interaction's follow-up: the answer replaces the "thinking…" message. */
class FollowUpExchange implements Exchange<DiscordTo> {
  constructor(private readonly channel: DiscordChannel) {}

  async reply(event: AnswerableEvent<DiscordTo>, answer: () => Promise<Answer | undefined>): Promise<void> {
    const result = await answer();
    if (result) await this.channel.followUp(event.to, this.channel.payloads(event, result));
  }

  finish(): ChannelResponse {
    return { statusCode: 204, body: "" };
  }
}
