import { JsonApiServer } from "./json-api-server.ts";

export interface MetaCall {
  path: string;
  authorization: string | undefined;
  // biome-ignore lint/suspicious/noExplicitAny: Send API JSON that tests read freely
  body: Record<string, any>;
}

/**
 * A stand-in for the Graph API's Send endpoints on 127.0.0.1 (`META_API_ROOT`): records every call
 * and answers as Meta does. Recipients in `closedWindow` are outside their messaging window
 * (WhatsApp 131047, Messenger 10/2018278); `failNext` answers the next calls with that HTTP status.
 */
export class FakeMeta {
  readonly calls: MetaCall[] = [];
  readonly closedWindow = new Set<string>();
  failNext: { status: number; times: number; code?: number } | undefined;
  private readonly http = new JsonApiServer(({ url, headers, body }) => {
    this.calls.push({ path: url, authorization: headers.authorization, body });
    const { status, result } = this.answer(body);
    return { status, body: result };
  });
  private ids = 1;

  start(): Promise<string> {
    return this.http.start();
  }

  stop(): Promise<void> {
    return this.http.stop();
  }

  clear(): void {
    this.calls.length = 0;
    this.failNext = undefined;
  }

  // biome-ignore lint/suspicious/noExplicitAny: Send API JSON
  private answer(body: Record<string, any>) {
    if (this.failNext && this.failNext.times > 0) {
      this.failNext.times -= 1;
      const code = this.failNext.code ?? 2;
      return {
        status: this.failNext.status,
        result: { error: { message: "Temporarily unavailable", code } },
      };
    }
    const whatsapp = body.messaging_product === "whatsapp";
    const recipient = whatsapp ? String(body.to) : String(body.recipient?.id);
    if (this.closedWindow.has(recipient)) {
      const error = whatsapp
        ? { message: "Re-engagement message", code: 131047 }
        : { message: "This message is sent outside of allowed window.", code: 10, error_subcode: 2018278 };
      return { status: 400, result: { error } };
    }
    const id = this.ids++;
    return whatsapp
      ? { status: 200, result: { messaging_product: "whatsapp", messages: [{ id: `wamid.fake${id}` }] } }
      : { status: 200, result: { recipient_id: recipient, message_id: `m_fake${id}` } };
  }
}
