import { make } from "../shared/dom.ts";
import { format } from "../shared/locale.ts";
import { type CannedReply, cannedText } from "./format.ts";
import type { ConsoleStrings } from "./strings.ts";
import type { ConsoleElements } from "./view.ts";

export type Mode = "reply" | "note";

/**
 * The reply box: reply or internal note, canned replies, the character count, and a draft per
 * conversation (kept while the tab lives, so switching conversations loses nothing).
 */
export class Composer {
  enabled = false;
  sending = false;
  busy = false;
  private canned: CannedReply[] = [];
  private readonly drafts = new Map<string, { text: string; mode: Mode }>();

  constructor(
    private readonly el: ConsoleElements,
    private T: ConsoleStrings,
    private readonly maxChars: number,
  ) {
    el.box.maxLength = maxChars;
  }

  mode(): Mode {
    return this.el.modeNote.checked ? "note" : "reply";
  }

  setMode(value: Mode): void {
    const { el } = this;
    el.modeNote.checked = value === "note";
    el.modeReply.checked = value !== "note";
    el.composer.classList.toggle("note-mode", value === "note");
    el.boxLabel.textContent = value === "note" ? this.T.noteBoxLabel : this.T.replyLabel;
    el.box.placeholder = value === "note" ? this.T.notePlaceholder : this.T.replyPlaceholder;
    this.update();
  }

  setStrings(T: ConsoleStrings): void {
    this.T = T;
    this.fillCanned();
    this.setMode(this.mode());
  }

  setCanned(replies: CannedReply[]): void {
    this.canned = replies;
    this.fillCanned();
  }

  private fillCanned(): void {
    const pick = make("option", "", this.T.cannedPick);
    pick.value = "";
    const options = this.canned.map((reply) =>
      Object.assign(make("option", "", reply.label), { value: reply.id }),
    );
    this.el.canned.replaceChildren(pick, ...options);
    this.el.cannedWrap.hidden = this.canned.length === 0;
  }

  /** Inserts the chosen canned reply at the cursor, in the conversation's language. */
  insertCanned(id: string, language: unknown): void {
    const reply = this.canned.find((r) => r.id === id);
    if (!reply || this.el.box.disabled) return;
    const text = cannedText(reply, language);
    if (text === "") return;
    const { box } = this.el;
    box.focus();
    box.setRangeText(text, box.selectionStart, box.selectionEnd, "end");
    this.update();
  }

  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    for (const control of [this.el.box, this.el.modeReply, this.el.modeNote, this.el.canned]) {
      control.disabled = !enabled;
    }
    this.update();
  }

  /** The text to send, or why not: "" when there is nothing, `tooLong` when over the limit. */
  text(): { text: string; tooLong: boolean } {
    const text = this.el.box.value.trim();
    return { text, tooLong: text.length > this.maxChars };
  }

  tooLongMessage(): string {
    return format(this.T.tooLong, { max: this.maxChars });
  }

  update(): void {
    const { el } = this;
    const length = el.box.value.length;
    el.send.textContent = this.sending
      ? this.T.sending
      : this.mode() === "note"
        ? this.T.addNote
        : this.T.sendReply;
    el.send.disabled =
      !this.enabled || this.sending || this.busy || el.box.value.trim() === "" || length > this.maxChars;
    el.chars.textContent = `${length} / ${this.maxChars}`;
    el.chars.classList.toggle("over", length > this.maxChars);
  }

  saveDraft(id: string | null): void {
    if (!id) return;
    if (this.el.box.value === "" && this.mode() === "reply") this.drafts.delete(id);
    else this.drafts.set(id, { text: this.el.box.value, mode: this.mode() });
  }

  loadDraft(id: string): void {
    const draft = this.drafts.get(id);
    this.el.box.value = draft ? draft.text : "";
    this.setMode(draft ? draft.mode : "reply");
  }

  clearDrafts(): void {
    this.drafts.clear();
    this.canned = [];
    this.fillCanned();
  }
}
