import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  GET_STARTED,
  localeFromPhone,
  type MetaUser,
  messengerMessages,
  metaButtonSigner,
  metaEvents,
  metaUserKey,
  parseMetaUserKey,
  signatureValid,
  truncate,
  whatsappMessages,
} from "../../../../src/channels/meta/meta.adapter.ts";

const signer = metaButtonSigner("app-secret");
const wa: MetaUser = { platform: "whatsapp", phoneNumberId: "1065", waId: "8613800000000" };
const fb: MetaUser = { platform: "messenger", pageId: "1042", psid: "650000" };
const labels = { choose: "Choose", prompt: "Choose one:" };
const button = (id: string, label: string) => ({ id, label });
// biome-ignore lint/suspicious/noExplicitAny: the interactive object is Send API JSON the tests read freely
const interactiveOf = (message: unknown) => (message as { interactive: Record<string, any> }).interactive;

describe("Meta signatures", () => {
  const body = Buffer.from('{"object":"page","entry":[]}');
  const good = `sha256=${createHmac("sha256", "app-secret").update(body).digest("hex")}`;

  it("accepts the HMAC of the exact body with the app secret, and nothing else", () => {
    expect(signatureValid("app-secret", good, body)).toBe(true);
    expect(signatureValid("app-secret", good.toUpperCase().replace("SHA256", "sha256"), body)).toBe(true);
    expect(signatureValid("other-secret", good, body)).toBe(false);
    expect(signatureValid("app-secret", good, Buffer.from(`${body} `))).toBe(false);
    expect(signatureValid("app-secret", undefined, body)).toBe(false);
    expect(signatureValid("app-secret", good.replace("sha256=", "sha1="), body)).toBe(false);
    expect(signatureValid("app-secret", `${good}00`, body)).toBe(false);
  });
});

describe("Meta user keys", () => {
  it("round-trip both platforms and refuse anything else", () => {
    expect(parseMetaUserKey(metaUserKey(wa))).toEqual(wa);
    expect(parseMetaUserKey(metaUserKey(fb))).toEqual(fb);
    for (const key of ["telegram:1", "meta:ig:1:2", "meta:wa:1", "meta:wa:1:2:3", "meta:fb::2"])
      expect(parseMetaUserKey(key)).toBeUndefined();
  });

  it("hints the script from the country code of a WhatsApp number", () => {
    expect(localeFromPhone("85291234567")).toBe("zh-Hant");
    expect(localeFromPhone("886912345678")).toBe("zh-Hant");
    expect(localeFromPhone("8613800000000")).toBe("zh-Hans");
    expect(localeFromPhone("12025550100")).toBeUndefined();
  });
});

describe("WhatsApp messages", () => {
  it("sends plain text, split at 4,096 characters, when there are no buttons", () => {
    const messages = whatsappMessages({ text: "a".repeat(5000) }, wa, signer, labels);
    expect(messages.map((m) => m.type)).toEqual(["text", "text"]);
  });

  it("uses reply buttons for up to three short labels, signed for the user", () => {
    const [message] = whatsappMessages(
      { text: "Did this help?", buttons: [button("fb:y:fees", "Yes"), button("fb:n:fees", "No")] },
      wa,
      signer,
      labels,
    );
    const interactive = interactiveOf(message);
    expect(interactive.type).toBe("button");
    expect(interactive.body.text).toBe("Did this help?");
    const ids = interactive.action.buttons.map((b: { reply: { id: string } }) => b.reply.id);
    expect(ids.map((id: string) => signer.verify(metaUserKey(wa), id))).toEqual(["fb:y:fees", "fb:n:fees"]);
    expect(signer.verify(metaUserKey(fb), ids[0])).toBeUndefined();
  });

  it("uses a list for more or longer choices, with long titles cut and kept whole in the description", () => {
    const long = "Withdrawals to a bank card that have not arrived";
    const buttons = [
      button("t:fees", "Fees"),
      button("t:limits", "Limits"),
      button("t:refund", "Refunds"),
      button("t:w", long),
    ];
    const [message] = whatsappMessages({ text: "Pick a topic", buttons }, wa, signer, labels);
    const interactive = interactiveOf(message);
    expect(interactive.type).toBe("list");
    expect(interactive.action.button).toBe("Choose");
    const rows = interactive.action.sections[0].rows;
    expect(rows).toHaveLength(4);
    expect([...rows[3].title].length).toBe(24);
    expect(rows[3].title.endsWith("…")).toBe(true);
    expect(rows[3].description).toBe(long);
  });

  it("sends a long answer as text and its choices under a short prompt", () => {
    const messages = whatsappMessages(
      { text: "x".repeat(1500), buttons: [button("fb:y:fees", "Yes")] },
      wa,
      signer,
      labels,
    );
    expect(messages.map((m) => m.type)).toEqual(["text", "interactive"]);
    expect(interactiveOf(messages[1]).body.text).toBe("Choose one:");
  });
});

describe("Messenger messages", () => {
  it("splits at 2,000 characters and puts quick replies, titles cut to 20, on the last part", () => {
    const messages = messengerMessages(
      { text: "y".repeat(2500), buttons: [button("human", "Talk to a person right now please")] },
      fb,
      signer,
    );
    expect(messages).toHaveLength(2);
    expect(messages[0]?.quick_replies).toBeUndefined();
    const [quick] = messages[1]?.quick_replies ?? [];
    expect([...(quick?.title ?? "")].length).toBe(20);
    expect(signer.verify(metaUserKey(fb), quick?.payload ?? "")).toBe("human");
  });

  it("truncates by characters, not code units", () => {
    expect(truncate("转账失败怎么办", 5)).toBe("转账失败…");
    expect(truncate("short", 20)).toBe("short");
  });
});

describe("metaEvents", () => {
  const key = metaUserKey(wa);
  const whatsapp = (...messages: unknown[]) =>
    metaEvents(
      {
        object: "whatsapp_business_account",
        entry: [
          {
            id: "1",
            changes: [{ field: "messages", value: { metadata: { phone_number_id: "1065" }, messages } }],
          },
        ],
      },
      signer,
    );
  const messenger = (...messaging: unknown[]) =>
    metaEvents({ object: "page", entry: [{ id: "1042", messaging }] }, signer);
  const from = (message: object) => ({ from: "8613800000000", id: "wamid.1", ...message });
  const sender = (item: object) => ({ sender: { id: "650000" }, recipient: { id: "1042" }, ...item });
  const kinds = (events: ReturnType<typeof metaEvents>) =>
    events.map((e) => (e.kind === "inbound" ? `inbound ${JSON.stringify(e.message.content)}` : e.kind));

  it("reads WhatsApp list rows and template buttons it signed, and calls anything else expired", () => {
    const events = whatsapp(
      from({
        type: "interactive",
        interactive: { type: "list_reply", list_reply: { id: signer.sign(key, "t:fees"), title: "Fees" } },
      }),
      from({ type: "button", button: { payload: signer.sign(key, "menu"), text: "Menu" } }),
      from({
        type: "interactive",
        interactive: { type: "button_reply", button_reply: { id: "human", title: "Human" } },
      }),
    );
    expect(kinds(events)).toEqual([
      'inbound {"type":"button","buttonId":"t:fees","localeHint":"zh-Hans"}',
      'inbound {"type":"button","buttonId":"menu","localeHint":"zh-Hans"}',
      "expired",
    ]);
  });

  it("keeps the good messages of a change when one is malformed, and answers the malformed one", () => {
    const events = whatsapp(
      from({ type: "text", text: { body: "x".repeat(9000) } }),
      from({ type: "text", text: { body: "hello" } }),
      { id: "wamid.3", type: "text" },
    );
    expect(kinds(events)).toEqual([
      "unsupported",
      'inbound {"type":"text","text":"hello","localeHint":"zh-Hans"}',
      "ignore",
    ]);
  });

  it("reads Messenger quick replies and postbacks it signed, Get Started, attachments, and ignores the page's echoes", () => {
    const events = messenger(
      sender({
        message: {
          mid: "m1",
          text: "Fees",
          quick_reply: { payload: signer.sign(metaUserKey(fb), "t:fees") },
        },
      }),
      sender({ postback: { title: "Get Started", payload: GET_STARTED } }),
      sender({ postback: { title: "Talk to a person", payload: "human~forgedmac000" } }),
      sender({ message: { mid: "m2", attachments: [{ type: "image" }] } }),
      { sender: { id: "1042" }, recipient: { id: "650000" }, message: { mid: "m3", text: "our own answer" } },
      sender({ read: { watermark: 1 } }),
    );
    expect(kinds(events)).toEqual([
      'inbound {"type":"button","buttonId":"t:fees"}',
      'inbound {"type":"button","buttonId":"menu"}',
      "expired",
      "unsupported",
      "ignore",
      "ignore",
    ]);
  });
});
