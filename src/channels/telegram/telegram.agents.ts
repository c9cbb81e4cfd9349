import { mask } from "../../core/mask.ts";
import { AppError } from "../../errors.ts";
import type { AgentStore } from "../../store/agent-store.ts";
import type { ConversationStore } from "../../store/conversation-store.ts";
import type { ConversationRecord, MessageRecord } from "../../store/records.ts";
import { splitText } from "../split-text.ts";
import type { AgentDesk, AgentRoom, DeskAgent } from "../types.ts";
import type { TelegramApi } from "./telegram.api.ts";
import type { TelegramMessage } from "./telegram.schemas.ts";

/**
 * Telegram allows a bot about 20 messages a minute in one group: a token bucket per instance keeps
 * bursts within that (and the client waits out a 429's `retry_after` once).
 */
export class Throttle {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    this.tokens = perMinute;
    this.last = now();
  }

  async take(): Promise<void> {
    const refill = ((this.now() - this.last) / 60_000) * this.perMinute;
    this.tokens = Math.min(this.perMinute, this.tokens + refill);
    this.last = this.now();
    if (this.tokens < 1) {
      await this.sleep(((1 - this.tokens) / this.perMinute) * 60_000);
      this.tokens = 1;
      this.last = this.now();
    }
    this.tokens -= 1;
  }
}

const ICON = { user: "👤", bot: "🤖", agent: "🧑‍💼", note: "📝" } as const;

/**
 * The agents' Telegram group (a forum supergroup): each handed-off conversation gets its own topic
 * with the transcript so far; what the user writes while held is posted there; agents reply in the
 * topic (delivered to the user on their channel) and use /claim, /back, /resolve, /note.
 */
export class AgentGroup implements AgentRoom {
  private readonly throttle = new Throttle(20);

  constructor(
    private readonly chatId: number,
    private readonly telegram: Pick<TelegramApi, "createForumTopic" | "sendMessage">,
    private readonly agents: AgentStore,
    private readonly conversations: ConversationStore,
  ) {}

  /** The agent actions, wired in src/app/: only functions that handle group messages need them. */
  private desk: () => Promise<AgentDesk> = async () => {
    throw new Error("agent actions are not available in this function");
  };

  useDesk(desk: () => Promise<AgentDesk>): void {
    this.desk = desk;
  }

  /** Opens the topic of a waiting conversation that has none yet (the scheduled job's catch-up). */
  async ensureTopic(head: ConversationRecord): Promise<void> {
    if ((await this.agents.topicOf(head.conversationId)) === undefined) await this.queued(head);
  }

  async queued(head: ConversationRecord): Promise<void> {
    const thread = await this.topic(head);
    const messages = await this.conversations.listMessages(head.conversationId, undefined, 50);
    const lines = messages.filter((m) => m.from !== "note").map((m) => line(m));
    const header = `${head.priority === "urgent" ? "🚨 URGENT · " : ""}${head.channel} · ${head.language} · ${mask(head.userKey)}${head.flags?.length ? ` · ${head.flags.join(", ")}` : ""}`;
    await this.post(
      thread,
      [header, "", ...lines, "", "/claim to take it · /note <text> · /back · /resolve"].join("\n"),
    );
  }

  async userWrote(head: ConversationRecord, message: MessageRecord): Promise<void> {
    await this.post(await this.topic(head), line(message));
  }

  /** A line in the conversation's topic, e.g. what an agent did in the console. */
  async announce(conversationId: string, text: string): Promise<void> {
    const thread = await this.agents.topicOf(conversationId);
    if (thread !== undefined) await this.post(thread, text);
  }

  /** A message in the agents' group: an agent acting in a conversation's topic. */
  async handle(message: TelegramMessage): Promise<void> {
    const thread = message.message_thread_id;
    const text = message.text?.trim();
    if (thread === undefined || !text || !message.from || message.from.is_bot) return;
    const conversationId = await this.agents.conversationOfTopic(thread);
    if (!conversationId) return;
    const record = await this.agents.agentForTelegramUser(message.from.id);
    if (!record || record.revokedAt) {
      await this.post(
        thread,
        "You are not registered as an agent (npm run cli -- agent:create --telegram-user-id …).",
      );
      return;
    }
    const agent: DeskAgent = { id: record.id, name: record.name, role: record.role };
    try {
      await this.act(agent, conversationId, text, thread);
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500) throw error;
      await this.post(thread, `⚠️ ${error.message}`);
    }
  }

  private async act(agent: DeskAgent, id: string, text: string, thread: number): Promise<void> {
    const service = await this.desk();
    const [command = "", ...rest] = text.split(/\s+/);
    const name = command.split("@")[0]?.toLowerCase();
    if (name === "/claim") await service.claim(agent, id);
    else if (name === "/back") await service.handBack(agent, id);
    else if (name === "/resolve") await service.resolve(agent, id);
    else if (name === "/note")
      await service.write(agent, id, "note", rest.join(" ") || "(empty note)", { announce: false });
    else if (name?.startsWith("/"))
      await this.post(
        thread,
        "Commands: /claim, /back, /resolve, /note <text>; anything else is sent to the user.",
      );
    else await service.write(agent, id, "agent", text, { announce: false });
  }

  private async topic(head: ConversationRecord): Promise<number> {
    const existing = await this.agents.topicOf(head.conversationId);
    if (existing !== undefined) return existing;
    await this.throttle.take();
    const name = `${head.priority === "urgent" ? "🚨 " : ""}${head.channel} ${mask(head.userKey)} ${head.conversationId.slice(-8)}`;
    const created = await this.telegram.createForumTopic(this.chatId, name.slice(0, 128));
    await this.agents.saveTopic(head.conversationId, created.message_thread_id);
    return (await this.agents.topicOf(head.conversationId)) ?? created.message_thread_id;
  }

  private async post(thread: number, text: string): Promise<void> {
    for (const part of splitText(text, 4096)) {
      await this.throttle.take();
      await this.telegram.sendMessage(this.chatId, part, { message_thread_id: thread });
    }
  }
}

function line(message: MessageRecord): string {
  return `${ICON[message.from]} ${message.text}`;
}
