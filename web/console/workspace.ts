import { type ConsoleApi, ConsoleApiError, conversationPath } from "./api.ts";
import type { Composer } from "./composer.ts";
import { renderHeader, renderLoadingHeader } from "./conversation.ts";
import { type Conversation, conversations, type Message, messages, type ViewContext } from "./format.ts";
import { type ListNodes, listFailed, markCurrent, syncList } from "./lists.ts";
import { Poller } from "./poller.ts";
import { Transcript } from "./transcript.ts";
import { Banner, type ConsoleElements } from "./view.ts";

const POLL_MS = 3000;
const MAX_POLL_DELAY_MS = 30_000;

const statusOf = (error: unknown) => (error instanceof ConsoleApiError ? error.status : -1);
const messageOf = (error: unknown, fallback: string) =>
  error instanceof Error && error.message ? error.message : fallback;

/**
 * The signed-in console: the Queue and Mine lists, the open conversation with its actions and
 * composer, and the polling that keeps them current (every 3 s while the tab is visible, backing off
 * on errors). A ticket orders the answers, so a slow poll never undoes a newer action's result.
 */
export class Workspace {
  onListsChanged: () => void = () => undefined;
  private lists: { waiting: Conversation[]; mine: Conversation[] } = { waiting: [], mine: [] };
  private openId: string | null = null;
  private current: Conversation | null = null;
  private ticket = 0;
  private appliedTicket = 0;
  private readonly poller: Poller;
  private readonly transcript: Transcript;
  private readonly flash: Banner;
  private readonly alert: Banner;
  private readonly queue: ListNodes;
  private readonly mine: ListNodes;

  constructor(
    private readonly el: ConsoleElements,
    private readonly api: ConsoleApi,
    private readonly composer: Composer,
    private readonly ctx: () => ViewContext,
  ) {
    this.transcript = new Transcript(el.log, el.scroll, el.empty);
    this.flash = new Banner(el.flash, 5000);
    this.alert = new Banner(el.alert);
    this.queue = { list: el.queue, note: el.queueNote, count: el.queueCount };
    this.mine = { list: el.mine, note: el.mineNote, count: el.mineCount };
    this.poller = new Poller(() => this.refresh(), {
      intervalMs: POLL_MS,
      maxDelayMs: MAX_POLL_DELAY_MS,
      hidden: () => document.hidden,
      isFatal: (error) => statusOf(error) === 401,
      onHealth: (failures) => {
        el.conn.hidden = failures < 2;
      },
    });
    this.wire();
  }

  waitingCount(): number {
    return this.lists.waiting.length;
  }

  start(): void {
    this.showPlaceholder();
    this.poller.start();
  }

  stop(): void {
    this.poller.stop();
  }

  /** One poll: both lists and the open conversation. */
  private async refresh(): Promise<void> {
    await Promise.all([this.loadLists(), this.loadConversation()]);
  }

  clear(): void {
    this.closeConversation();
    this.lists = { waiting: [], mine: [] };
    this.el.queue.replaceChildren();
    this.el.mine.replaceChildren();
  }

  /** Everything shown built again in the current locale. */
  relabel(): void {
    this.renderLists();
    if (this.current) this.renderCurrent();
    this.transcript.relabel(this.ctx());
    if (!this.openId) this.el.placeholder.textContent = this.ctx().T.choose;
  }

  private renderLists(): void {
    const ctx = this.ctx();
    const open = (id: string) => this.openConversation(id);
    syncList(this.queue, this.lists.waiting, ctx.T.queueEmpty, this.openId, ctx, open);
    syncList(this.mine, this.lists.mine, ctx.T.mineEmpty, this.openId, ctx, open);
    const hot = this.lists.waiting.some((c) => c.priority === "urgent" || c.overdue === true);
    this.el.queueCount.classList.toggle("hot", hot);
    this.onListsChanged();
  }

  private async loadLists(): Promise<void> {
    const load = async (status: string) =>
      conversations(await this.api.call("GET", `/agent/conversations?status=${status}`));
    const [waiting, mine] = await Promise.allSettled([load("waiting"), load("mine")]);
    if (!this.poller.active) return;
    if (waiting.status === "fulfilled") this.lists.waiting = waiting.value;
    if (mine.status === "fulfilled") this.lists.mine = mine.value;
    this.renderLists();
    const failed = this.ctx().T.listError;
    if (waiting.status === "rejected") listFailed(this.queue, failed);
    if (mine.status === "rejected") listFailed(this.mine, failed);
    if (waiting.status === "rejected") throw waiting.reason;
    if (mine.status === "rejected") throw mine.reason;
  }

  private renderCurrent(): void {
    if (!this.current) return;
    const mine = renderHeader(this.el, this.current, this.ctx());
    this.composer.setEnabled(mine);
    this.updateButtons();
  }

  private applyConversation(data: Record<string, unknown>, ofTicket: number): void {
    const conversation = data.conversation as Conversation | undefined;
    if (!conversation || typeof conversation !== "object") return;
    if (conversation.id !== this.openId || ofTicket < this.appliedTicket) return;
    this.appliedTicket = ofTicket;
    this.current = conversation;
    this.renderCurrent();
    // The transcript is in the user's language: the right Han glyph forms and fonts (SC or TC).
    const language = conversation.language;
    if (language === "zh-Hans" || language === "zh-Hant" || language === "en") this.el.log.lang = language;
    else this.el.log.removeAttribute("lang");
    if (Array.isArray(data.messages)) this.transcript.sync(messages(data), this.ctx());
    this.el.conv.setAttribute("aria-busy", "false");
  }

  private async loadConversation(): Promise<void> {
    const id = this.openId;
    if (!id) return;
    this.ticket += 1;
    const mine = this.ticket;
    try {
      this.applyConversation(await this.api.call("GET", conversationPath(id)), mine);
    } catch (error) {
      if (statusOf(error) === 404 && id === this.openId) {
        this.showPlaceholder(this.ctx().T.notFound);
        return;
      }
      throw error;
    }
  }

  private showPlaceholder(message?: string): void {
    this.closeConversation();
    this.el.placeholder.textContent = message ?? this.ctx().T.choose;
    this.el.placeholder.hidden = false;
  }

  private closeConversation(): void {
    this.composer.saveDraft(this.openId);
    this.openId = null;
    this.current = null;
    this.transcript.clear();
    this.el.conv.hidden = true;
    this.el.workspace.classList.remove("has-conv");
    this.alert.clear();
    this.flash.clear();
    markCurrent(this.el.workspace, null);
  }

  private openConversation(id: string): void {
    if (id === this.openId) {
      if (this.current) this.focusPane();
      return;
    }
    const { el } = this;
    this.closeConversation();
    this.openId = id;
    this.appliedTicket = 0;
    this.ticket += 1;
    el.placeholder.hidden = true;
    el.conv.hidden = false;
    el.workspace.classList.add("has-conv");
    el.conv.setAttribute("aria-busy", "true");
    renderLoadingHeader(el, id, this.ctx().T);
    el.empty.hidden = true;
    this.composer.loadDraft(id);
    this.composer.setEnabled(false);
    markCurrent(el.workspace, id);
    const fromList = [...this.lists.waiting, ...this.lists.mine].find((c) => c.id === id);
    if (fromList) {
      this.current = fromList;
      this.renderCurrent();
    }
    this.loadConversation()
      .then(() => {
        if (id !== this.openId) return;
        this.transcript.toBottom();
        this.focusPane();
      })
      .catch((error: unknown) => {
        if (id === this.openId && statusOf(error) !== 401)
          this.alert.show(messageOf(error, this.ctx().T.error));
      });
  }

  /** Into the open conversation: the reply box when it is mine, else its heading (never onto Claim). */
  private focusPane(): void {
    if (!this.current) return;
    if (!this.el.box.disabled) this.el.box.focus();
    else this.el.convTitle.focus();
  }

  private updateButtons(): void {
    for (const button of [this.el.claim, this.el.handback, this.el.resolve])
      button.disabled = this.composer.busy;
    this.composer.update();
  }

  private async runAction(action: "claim" | "handback" | "resolve", done: string): Promise<void> {
    const id = this.openId;
    if (!id || this.composer.busy) return;
    this.composer.busy = true;
    this.alert.clear();
    this.flash.clear();
    this.updateButtons();
    try {
      const data = await this.api.call("POST", conversationPath(id, action));
      this.ticket += 1;
      this.applyConversation({ conversation: data.conversation }, this.ticket);
      if (id === this.openId) this.flash.show(done);
    } catch (error) {
      if (statusOf(error) === 401) return;
      if (id === this.openId) this.alert.show(messageOf(error, this.ctx().T.error));
    } finally {
      this.composer.busy = false;
      this.updateButtons();
      this.poller.now();
    }
    if (id !== this.openId) return;
    const active = document.activeElement;
    if (action === "claim" && !this.el.box.disabled) this.el.box.focus();
    else if (active === document.body || (active instanceof HTMLElement && active.hidden))
      this.el.convTitle.focus();
  }

  private async submit(): Promise<void> {
    const id = this.openId;
    const { composer } = this;
    const { text, tooLong } = composer.text();
    if (!id || composer.sending || composer.busy || !composer.enabled || text === "") return;
    if (tooLong) {
      this.alert.show(composer.tooLongMessage());
      return;
    }
    const kind = composer.mode() === "note" ? "notes" : "messages";
    composer.sending = true;
    this.alert.clear();
    this.flash.clear();
    composer.update();
    try {
      const data = await this.api.call("POST", conversationPath(id, kind), { text });
      if (id === this.openId) {
        this.ticket += 1;
        this.appliedTicket = this.ticket;
        const message = data.message as Message | undefined;
        if (message && typeof message.text === "string") this.transcript.append(message, this.ctx());
        if (this.el.box.value.trim() === text) this.el.box.value = "";
        composer.saveDraft(id);
      }
    } catch (error) {
      const status = statusOf(error);
      if (status === 401) return;
      if (id === this.openId) this.alert.show(messageOf(error, this.ctx().T.error));
      if (status === 403 || status === 404 || status === 409) this.poller.now();
    } finally {
      composer.sending = false;
      composer.update();
    }
    if (id === this.openId && !this.el.box.disabled) this.el.box.focus();
  }

  private wire(): void {
    const { el, composer } = this;
    const T = () => this.ctx().T;
    el.claim.addEventListener("click", () => void this.runAction("claim", T().claimed));
    el.handback.addEventListener("click", () => void this.runAction("handback", T().handedBack));
    el.resolve.addEventListener("click", () => {
      if (composer.busy || !this.openId) return;
      el.dialog.showModal();
      el.confirmCancel.focus();
    });
    el.confirmCancel.addEventListener("click", () => el.dialog.close("cancel"));
    el.confirmOk.addEventListener("click", () => el.dialog.close("resolve"));
    el.dialog.addEventListener("close", () => {
      const confirmed = el.dialog.returnValue === "resolve";
      el.dialog.returnValue = "";
      if (confirmed) void this.runAction("resolve", T().resolved);
      else if (!el.resolve.hidden) el.resolve.focus();
    });
    el.back.addEventListener("click", () => {
      const id = this.openId;
      this.showPlaceholder();
      const row = [...el.workspace.querySelectorAll<HTMLElement>("li")].find((li) => li.dataset.id === id);
      (row?.querySelector("button") ?? el.queueNote.closest("section")?.querySelector("h2"))?.focus();
    });
    el.composer.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.submit();
    });
    el.box.addEventListener("keydown", (event) => {
      if (event.key !== "Enter" || event.shiftKey || event.isComposing || event.keyCode === 229) return;
      event.preventDefault();
      void this.submit();
    });
    el.box.addEventListener("input", () => {
      composer.update();
      composer.saveDraft(this.openId);
    });
    for (const radio of [el.modeReply, el.modeNote]) {
      radio.addEventListener("change", () => {
        composer.setMode(composer.mode());
        composer.saveDraft(this.openId);
      });
    }
    el.canned.addEventListener("change", () => {
      const id = el.canned.value;
      el.canned.value = "";
      composer.insertCanned(id, this.current?.language);
      composer.saveDraft(this.openId);
    });
    document.addEventListener("visibilitychange", () => this.poller.visibilityChanged());
  }
}
