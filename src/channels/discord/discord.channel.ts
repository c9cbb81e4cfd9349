import { REST } from "@discordjs/rest";
import { Routes } from "discord-api-types/v10";
import type { Knowledge, MessageKey } from "../../core/content.ts";
import type { Locale } from "../../core/locale.ts";
import type { Reply } from "../../core/policy.ts";
import { render } from "../../core/render.ts";
import { UnauthorizedError } from "../../errors.ts";
import { type BotDependencies, handleInbound, type TurnOutcome } from "../../handoff/inbound.ts";
import { type HttpResult, json } from "../../http/api-gateway.ts";
import { log } from "../../log.ts";
import { validate } from "../../validate.ts";
import type { ButtonSigner } from "../button-signer.ts";
import {
  type DiscordEvent,
  discordButtonSigner,
  discordEvent,
  discordMessages,
  discordUserKey,
  FORGET,
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
   * Runs the rest of a deferred interaction after the response: in-process under `npm start`; in
   * Lambda, which freezes once it returns, by invoking the function again asynchronously.
   */
  handOff: (interaction: DiscordInteraction, finish: () => Promise<void>) => Promise<void>;
}

/** Interaction response types and message flags of the Discord API. */
const PONG = 1;
const MESSAGE = 4;
const DEFERRED = 5;
const AUTOCOMPLETE_RESULT = 8;
const MODAL = 9;
const EPHEMERAL = 64;

/**
 * The Discord channel over HTTP interactions: Ed25519 signature checked over the raw body before
 * parsing; slash commands, buttons and the free-text modal go through the same bot path as the
 * other channels; the answer is the interaction response itself, or a deferred response finished
 * by a follow-up when it would not make Discord's 3 seconds.
 */
export class DiscordChannel {
  private readonly signer: ButtonSigner;
  readonly rest: REST;

  constructor(
    private readonly settings: DiscordSettings,
    private readonly deps: BotDependencies,
  ) {
    this.signer = discordButtonSigner(settings.botToken);
    this.rest = new REST({ version: "10", api: settings.apiRoot, retries: 2 }).setToken(settings.botToken);
  }

  async interaction(headers: Record<string, string | undefined>, body: Buffer): Promise<HttpResult> {
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
      return json(400, { error: { message: "body: not valid JSON", field: "body" } });
    }
    const interaction = validate(discordInteractionSchema, parsed, "interaction");
    const event = discordEvent(interaction, this.signer);
    log("info", "discord interaction", { type: interaction.type, kind: event.kind });
    return json(200, await this.respond(interaction, event));
  }

  /** The follow-up of a deferred interaction, run by the hand-off (in-process or a second invocation). */
  async finish(interaction: DiscordInteraction): Promise<void> {
    const event = discordEvent(interaction, this.signer);
    if (event.kind !== "inbound") return;
    const outcome = await handleInbound(this.deps, event.message);
    const [first, ...rest] = this.payloads(outcome, event.userId);
    const flags = event.ephemeral ? EPHEMERAL : 0;
    const webhook = { auth: false as const };
    const { applicationId } = this.settings;
    await this.rest.patch(Routes.webhookMessage(applicationId, interaction.token, "@original"), {
      body: first ?? { content: "…" },
      ...webhook,
    });
    for (const payload of rest) {
      await this.rest.post(Routes.webhook(applicationId, interaction.token), {
        body: { ...payload, flags },
        ...webhook,
      });
    }
  }

  private async respond(
    interaction: DiscordInteraction,
    event: DiscordEvent,
  ): Promise<Record<string, unknown>> {
    switch (event.kind) {
      case "ping":
        return { type: PONG };
      case "autocomplete":
        return { type: AUTOCOMPLETE_RESULT, data: { choices: [] } };
      case "expired":
        return this.message(await this.say(event, "expiredButton"), true);
      case "modal":
        return this.modal(event.userId, await this.localeOf(event));
      case "forget":
        return this.forget(event);
      case "inbound":
        return this.answer(interaction, event);
    }
  }

  /** Answers within the deadline, else defers and hands the rest off to finish with a follow-up. */
  private async answer(
    interaction: DiscordInteraction,
    event: Extract<DiscordEvent, { kind: "inbound" }>,
  ): Promise<Record<string, unknown>> {
    const work = handleInbound(this.deps, event.message);
    const deadline = new Promise<undefined>((resolve) =>
      setTimeout(resolve, this.settings.deferAfterMs, undefined),
    );
    const outcome = await Promise.race([work, deadline]);
    const payloads = outcome ? this.payloads(outcome, event.userId) : [];
    if (outcome && payloads.length <= 1) {
      const [payload] = payloads;
      return {
        type: MESSAGE,
        data: { ...(payload ?? { content: "…" }), ...(event.ephemeral ? { flags: EPHEMERAL } : {}) },
      };
    }
    // The turn is (or will be) stored under the interaction id, so finishing replays it, never repeats it.
    work.catch((error: unknown) => log("error", "discord turn failed", { errorName: (error as Error).name }));
    await this.settings.handOff(interaction, () => this.finish(interaction));
    return { type: DEFERRED, data: event.ephemeral ? { flags: EPHEMERAL } : {} };
  }

  /** The turn's replies as one message when they fit in 2,000 characters, else several. */
  private payloads(outcome: TurnOutcome, userId: string) {
    const merged: Reply = {
      text: outcome.replies.map((r) => r.text).join("\n\n"),
      ...(outcome.replies.at(-1)?.buttons ? { buttons: outcome.replies.at(-1)?.buttons ?? [] } : {}),
    };
    if (!merged.text) return [];
    return discordMessages(merged, userId, this.signer, this.text(outcome.language, "writeReplyButton"));
  }

  private async forget(event: Extract<DiscordEvent, { kind: "forget" }>) {
    const locale = await this.localeOf(event);
    const say = (key: MessageKey) => this.text(locale, key);
    if (event.step === "ask") {
      const buttons = [
        { id: FORGET.confirm, label: say("forgetYesButton") },
        { id: FORGET.cancel, label: say("forgetNoButton") },
      ];
      const [payload] = discordMessages(
        { text: say("forgetConfirm"), buttons },
        event.userId,
        this.signer,
        say("writeReplyButton"),
      );
      return { type: MESSAGE, data: { ...payload, flags: EPHEMERAL } };
    }
    if (event.step === "confirm") {
      const deleted = await this.deps.store.forgetUser(discordUserKey(event.userId));
      log("info", "discord conversation forgotten", { items: deleted });
      return this.message(say("forgetDone"), true);
    }
    return this.message(say("forgetCancelled"), true);
  }

  private modal(userId: string, locale: Locale) {
    return {
      type: MODAL,
      data: {
        custom_id: this.signer.sign(userId, "reply"),
        title: [...this.text(locale, "writeReplyTitle")].slice(0, 45).join(""),
        components: [
          {
            type: 1,
            components: [
              {
                type: 4,
                custom_id: "text",
                label: [...this.text(locale, "writeReplyLabel")].slice(0, 45).join(""),
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

  private message(content: string, ephemeral: boolean) {
    return { type: MESSAGE, data: { content, ...(ephemeral ? { flags: EPHEMERAL } : {}) } };
  }

  private async say(event: { userId: string; locale: Locale | undefined }, key: MessageKey): Promise<string> {
    return this.text(await this.localeOf(event), key);
  }

  private async localeOf(event: { userId: string; locale: Locale | undefined }): Promise<Locale> {
    const { current } = await this.deps.store.loadHead(discordUserKey(event.userId));
    return current?.language ?? event.locale ?? "zh-Hans";
  }

  private text(locale: Locale, key: MessageKey): string {
    const knowledge: Knowledge = this.deps.brain.knowledge;
    return render(knowledge.messages[key][locale], knowledge, locale);
  }
}
