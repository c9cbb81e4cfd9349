import { byId, make } from "../shared/dom.ts";

/** The console's elements (web/console/console.html); a page missing one is broken, so this throws. */
export function consoleElements() {
  return {
    loginView: byId("login-view"),
    loginForm: byId("login-form", HTMLFormElement),
    loginLanguage: byId("login-language", HTMLSelectElement),
    token: byId("token", HTMLInputElement),
    signIn: byId("sign-in", HTMLButtonElement),
    loginError: byId("login-error"),
    loginInfo: byId("login-info"),
    app: byId("app"),
    conn: byId("conn"),
    meName: byId("me-name"),
    meRole: byId("me-role"),
    language: byId("language", HTMLSelectElement),
    signOut: byId("sign-out", HTMLButtonElement),
    workspace: byId("workspace"),
    queue: byId("queue"),
    queueCount: byId("queue-count"),
    queueNote: byId("queue-note"),
    mine: byId("mine"),
    mineCount: byId("mine-count"),
    mineNote: byId("mine-note"),
    zone: byId("zone"),
    placeholder: byId("placeholder"),
    conv: byId("conv"),
    back: byId("back", HTMLButtonElement),
    convTitle: byId("conv-title"),
    convRef: byId("conv-ref"),
    convUser: byId("conv-user"),
    convMeta: byId("conv-meta"),
    claim: byId("claim", HTMLButtonElement),
    handback: byId("handback", HTMLButtonElement),
    resolve: byId("resolve", HTMLButtonElement),
    readonly: byId("readonly"),
    flash: byId("flash"),
    alert: byId("alert"),
    scroll: byId("scroll"),
    log: byId("log"),
    empty: byId("empty"),
    composer: byId("composer", HTMLFormElement),
    modeReply: byId("mode-reply", HTMLInputElement),
    modeNote: byId("mode-note", HTMLInputElement),
    cannedWrap: byId("canned-wrap"),
    canned: byId("canned", HTMLSelectElement),
    boxLabel: byId("box-label"),
    box: byId("box", HTMLTextAreaElement),
    chars: byId("chars"),
    send: byId("send", HTMLButtonElement),
    dialog: byId("confirm", HTMLDialogElement),
    confirmOk: byId("confirm-ok", HTMLButtonElement),
    confirmCancel: byId("confirm-cancel", HTMLButtonElement),
  };
}
export type ConsoleElements = ReturnType<typeof consoleElements>;

export function badge(className: string, text: string, title?: string): HTMLElement {
  const node = make("span", `badge ${className}`, text);
  if (title) node.title = title;
  return node;
}

/** A message that disappears by itself after a while (what an action did). */
export class Banner {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly node: HTMLElement,
    private readonly lifetimeMs?: number,
  ) {}

  show(message: string): void {
    clearTimeout(this.timer);
    this.node.textContent = message;
    this.node.hidden = false;
    if (this.lifetimeMs !== undefined) this.timer = setTimeout(() => this.clear(), this.lifetimeMs);
  }

  clear(): void {
    clearTimeout(this.timer);
    this.node.hidden = true;
    this.node.textContent = "";
  }
}
