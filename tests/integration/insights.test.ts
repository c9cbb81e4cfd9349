import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { agentRuntime } from "../../src/app/agents.ts";
import { runtime } from "../../src/app/runtime.ts";
import { suggestionFileSchema } from "../../src/core/content.ts";
import type { Insights } from "../../src/core/insights.ts";
import { createAgent } from "../../src/handoff/agent-auth.ts";
import { type LocalServer, startLocalServer } from "../../src/local/server.ts";
import { configureLog } from "../../src/log.ts";
import { type RunningBackend, storeBackends } from "../support/dynamodb-backends.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const TABLE = "guardline-insights";
// biome-ignore lint/suspicious/noExplicitAny: JSON answers the tests read freely
type Json = any;

const MNEMONIC =
  "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

/**
 * The script: 30 web-chat conversations of known kinds, then agents acting on some. Every figure the
 * test expects is counted from this table, not from what the server answered.
 */
const SCRIPT = {
  helpful: [
    "怎么提现到银行卡",
    "How do I withdraw money to my bank?",
    "提現要多久到帳",
    "充值没到账",
    "转账失败了",
    "忘记登录密码怎么办",
    "怎么提现到银行卡?",
    "how do i withdraw to my bank account",
    "充值没有到账怎么办",
    "转账失败怎么回事",
  ],
  notHelpful: [
    "忘记登录密码怎么办!",
    "充值没到账啊",
    "转账失败了怎么办",
    "提现到银行卡怎么操作",
    "How do I withdraw money to my bank account?",
  ],
  human: ["转人工", "I want to talk to a human", "转人工客服", "I want to talk to a human please"],
  afterMisses: 3,
  scam: ["有人冒充客服让我把钱转到安全账户", "有人冒充客服让我把钱转到安全账户里"],
  secret: 2,
  clarifyPick: 2,
  outOfScope: ["今天天气怎么样"],
  fakeContact: ["这个号码 +852 5123 4567 是你们的客服吗"],
};

for (const backend of storeBackends()) {
  if (backend.skipReason) console.warn(backend.skipReason);
  describe.skipIf(backend.skipReason !== undefined)(
    `insights from a scripted day, on ${backend.name}`,
    () => {
      let store: RunningBackend;
      let server: LocalServer;
      let admin: string;
      let agent: string;
      let sessions = 0;
      const session = () => `insights-${backend.name}-${String(sessions++).padStart(3, "0")}-abcdefghijkl`;

      async function call(method: string, path: string, token: string, body?: unknown) {
        const response = await fetch(new URL(path, server.url), {
          method,
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
        return { status: response.status, body: (await response.json()) as Json };
      }

      async function web(sessionId: string, content: { text: string } | { buttonId: string }) {
        const response = await fetch(new URL("web/messages", server.url), {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ sessionId, ...content }),
        });
        expect(response.status).toBe(200);
        return (await response.json()) as Json;
      }

      const buttons = (answer: Json): string[] =>
        answer.replies.flatMap((r: Json) => (r.buttons ?? []).map((b: Json) => b.id));

      /** Asks, checks the bot answered with "did this help?", presses yes or no. */
      async function answered(text: string, helpful: boolean) {
        const id = session();
        const answer = await web(id, { text });
        const feedback = buttons(answer).find((b) => b.startsWith(helpful ? "fb:y:" : "fb:n:"));
        expect(feedback, text).toBeDefined();
        await web(id, { buttonId: feedback ?? "" });
        return answer.conversationId as string;
      }

      const queued: string[] = [];
      const today = new Date().toISOString().slice(0, 10);

      beforeAll(async () => {
        configureLog({ level: "error" });
        store = await backend.start();
        server = await startLocalServer({ dynamodbEndpoint: store.endpoint, tableName: TABLE });
        const agents = agentRuntime(runtime()).agents;
        admin = (await createAgent(agents, { name: "Ada", role: "admin" })).token;
        agent = (await createAgent(agents, { name: "Dana", role: "agent" })).token;

        for (const text of SCRIPT.helpful) await answered(text, true);
        for (const text of SCRIPT.notHelpful) await answered(text, false);
        for (const text of SCRIPT.human) {
          const answer = await web(session(), { text });
          expect(answer.status, text).toBe("waiting");
          queued.push(answer.conversationId);
        }
        for (let i = 0; i < SCRIPT.afterMisses; i++) {
          // Two misses in a row (a clarifying question, then out of scope), then the offered human
          const id = session();
          const first = await web(id, { text: "the thing with the stuff" });
          expect(buttons(first)).toContain("other");
          const second = await web(id, { text: "asdf qwer zxcv" });
          expect(buttons(second)).toContain("human");
          const third = await web(id, { buttonId: "human" });
          expect(third.status).toBe("waiting");
          queued.push(third.conversationId);
        }
        for (const text of SCRIPT.scam) {
          const answer = await web(session(), { text });
          expect(answer.status, text).toBe("waiting");
          queued.push(answer.conversationId);
        }
        for (let i = 0; i < SCRIPT.secret; i++) {
          const answer = await web(session(), { text: `my recovery phrase is ${MNEMONIC}` });
          expect(answer.status).toBe("waiting");
          queued.push(answer.conversationId);
        }
        for (let i = 0; i < SCRIPT.clarifyPick; i++) {
          const id = session();
          const clarify = await web(id, { text: "关于扣费的事情" });
          const topic = buttons(clarify).find((b) => b === "t:fees");
          expect(topic).toBeDefined();
          await web(id, { buttonId: topic ?? "" });
        }
        for (const text of SCRIPT.outOfScope) await web(session(), { text });
        for (const text of SCRIPT.fakeContact) await web(session(), { text });

        // Agents: Dana claims three, replies in each, resolves two and hands one back
        for (const id of queued.slice(0, 3)) {
          expect((await call("POST", `agent/conversations/${id}/claim`, agent)).status).toBe(200);
          expect(
            (await call("POST", `agent/conversations/${id}/messages`, agent, { text: "您好，我是 Dana" }))
              .status,
          ).toBe(200);
          await call("POST", `agent/conversations/${id}/messages`, agent, { text: "还有别的问题吗？" });
        }
        for (const id of queued.slice(0, 2)) await call("POST", `agent/conversations/${id}/resolve`, agent);
        await call("POST", `agent/conversations/${queued[2]}/handback`, agent);
      }, 120_000);

      afterAll(async () => {
        await server?.close();
        await store?.stop();
      });

      const conversations =
        SCRIPT.helpful.length +
        SCRIPT.notHelpful.length +
        SCRIPT.human.length +
        SCRIPT.afterMisses +
        SCRIPT.scam.length +
        SCRIPT.secret +
        SCRIPT.clarifyPick +
        SCRIPT.outOfScope.length +
        SCRIPT.fakeContact.length;
      const handoffs = SCRIPT.human.length + SCRIPT.afterMisses + SCRIPT.scam.length + SCRIPT.secret;
      const userMessages =
        2 * (SCRIPT.helpful.length + SCRIPT.notHelpful.length + SCRIPT.clarifyPick) +
        SCRIPT.human.length +
        3 * SCRIPT.afterMisses +
        SCRIPT.scam.length +
        SCRIPT.secret +
        SCRIPT.outOfScope.length +
        SCRIPT.fakeContact.length;

      function expectScripted(insights: Insights) {
        expect(conversations).toBe(30);
        expect(insights.from).toBe(today);
        expect(insights.totals).toEqual({
          conversations,
          userMessages,
          contained: conversations - handoffs,
          containment: Math.round(((conversations - handoffs) / conversations) * 1e4) / 1e4,
          handoffs,
          helpful: SCRIPT.helpful.length,
          notHelpful: SCRIPT.notHelpful.length,
          csat:
            Math.round((SCRIPT.helpful.length / (SCRIPT.helpful.length + SCRIPT.notHelpful.length)) * 1e4) /
            1e4,
          clarified: SCRIPT.afterMisses + SCRIPT.clarifyPick,
          pickedTopic: SCRIPT.clarifyPick,
          pickRate: Math.round((SCRIPT.clarifyPick / (SCRIPT.afterMisses + SCRIPT.clarifyPick)) * 1e4) / 1e4,
          outOfScope: SCRIPT.afterMisses + SCRIPT.outOfScope.length,
          outOfScopeRate: expect.any(Number),
        });
        expect(insights.handoffsByReason).toEqual({
          requested: SCRIPT.human.length,
          after_misses: SCRIPT.afterMisses,
          urgent: SCRIPT.secret,
          scam: SCRIPT.scam.length,
        });
        expect(insights.byDay).toEqual([expect.objectContaining({ day: today, conversations, handoffs })]);
        expect(insights.byChannel).toEqual([expect.objectContaining({ channel: "web", conversations })]);
        const languages = insights.byLanguage.map((l) => l.language);
        expect(languages).toEqual(["zh-Hans", "zh-Hant", "en"]);
        expect(insights.byLanguage.reduce((sum, l) => sum + l.conversations, 0)).toBe(conversations);
        expect(insights.byLanguage.find((l) => l.language === "zh-Hant")?.conversations).toBe(1);
        const withdraw = insights.intents.find((i) => i.intent === "withdraw_howto");
        expect(withdraw).toMatchObject({ answered: 7, helpful: 5, notHelpful: 2, helpfulRate: 0.7143 });
        expect(insights.agents.firstReply.count).toBe(3);
        expect(insights.agents.resolve.count).toBe(2);
        expect(insights.agents.firstReply.medianSeconds).toEqual(expect.any(Number));
        expect(insights.agents.perAgent).toEqual([
          {
            agentId: expect.any(String),
            name: "Dana",
            claimed: 3,
            replies: 6,
            conversations: 3,
            resolved: 2,
          },
        ]);
        expect(insights.agents).toMatchObject({ escalations: 0, idleReturns: 0, handbacks: 1 });
        expect(insights.safety).toEqual({
          secretsRedacted: { mnemonic: SCRIPT.secret },
          fakeContacts: 1,
          lookalikes: 0,
          unlisted: 1,
          scamReports: SCRIPT.scam.length,
        });
        // No text and nothing about a user anywhere in the figures
        const all = JSON.stringify(insights);
        for (const text of [...SCRIPT.helpful, ...SCRIPT.scam, "abandon", "insights-", "web:"])
          expect(all).not.toContain(text);
      }

      it("GET /agent/insights gives exactly the scripted figures", async () => {
        const { status, body } = await call("GET", `agent/insights?from=${today}&to=${today}`, admin);
        expect(status).toBe(200);
        expectScripted(body.insights);
      });

      it("cli insights --json gives the same figures, and the table names them", async () => {
        const env = { ...process.env, DYNAMODB_ENDPOINT: store.endpoint, TABLE_NAME: TABLE };
        const cli = (args: string[]) =>
          promisify(execFile)(
            join(ROOT, "node_modules", ".bin", "tsx"),
            ["src/cli/main.ts", "insights", ...args],
            { cwd: ROOT, env },
          );
        const json = await cli(["--from", today, "--to", today, "--json"]);
        expectScripted(JSON.parse(json.stdout));
        const table = (await cli(["--from", today, "--to", today])).stdout;
        expect(table).toMatch(new RegExp(`all\\s+${conversations}\\s+${userMessages}\\s+`));
        expect(table).toContain("after_misses");
        expect(table).toContain("Dana");
      }, 60_000);

      it("refuses agents (403), bad days and backwards or oversized ranges (400, naming the field)", async () => {
        expect((await call("GET", "agent/insights", agent)).status).toBe(403);
        for (const [query, field] of [
          ["from=2026-02-30", "from"],
          ["to=yesterday", "to"],
          [`from=${today}&to=2020-01-01`, "from"],
          ["from=2020-01-01&to=2026-12-01", "from"],
          ["days=7", "days"],
        ] as const) {
          const { status, body } = await call("GET", `agent/insights?${query}`, admin);
          expect(status, query).toBe(400);
          expect(body.error.field, query).toBe(field);
        }
      });

      it("labels a user message for anyone who can read it, audited; refuses unknown intents and messages", async () => {
        const id = queued[3] ?? "";
        const label = await call("POST", `agent/conversations/${id}/messages/1.0/label`, agent, {
          intent: "contact_support",
        });
        expect(label.status).toBe(200);
        expect(label.body.label).toMatchObject({
          conversationId: id,
          messageId: "1.0",
          intent: "contact_support",
        });
        const unknown = await call("POST", `agent/conversations/${id}/messages/1.0/label`, agent, {
          intent: "nope",
        });
        expect([unknown.status, unknown.body.error.field]).toEqual([400, "intent"]);
        const botMessage = await call("POST", `agent/conversations/${id}/messages/1.1/label`, agent, {
          intent: "contact_support",
        });
        expect(botMessage.status).toBe(404);
        const badId = await call("POST", `agent/conversations/${id}/messages/x/label`, agent, {
          intent: "contact_support",
        });
        expect([badId.status, badId.body.error.field]).toEqual([400, "messageId"]);
        const extra = await call("POST", `agent/conversations/${id}/messages/1.0/label`, agent, {
          intent: "contact_support",
          x: 1,
        });
        expect(extra.status).toBe(400);
        const audit = (await call("GET", "agent/audit", admin)).body.entries as Json[];
        expect(audit.filter((e) => e.action === "label")).toEqual([
          expect.objectContaining({ conversationId: id, detail: "1.0 → contact_support" }),
        ]);
      });

      it("lists the misses grouped, without secrets, for admins only", async () => {
        expect((await call("GET", "agent/insights/misses", agent)).status).toBe(403);
        const { status, body } = await call("GET", `agent/insights/misses?from=${today}&to=${today}`, admin);
        expect(status).toBe(200);
        const groups = body.groups as Json[];
        const items = groups.flatMap((g) => g.items as Json[]);
        // Two misses in each after-misses conversation, the clarifying ones, the out-of-scope one, the unhelpful answers
        expect(items).toHaveLength(
          2 * SCRIPT.afterMisses + SCRIPT.clarifyPick + SCRIPT.outOfScope.length + SCRIPT.notHelpful.length,
        );
        expect(groups.reduce((n, g) => n + g.count, 0)).toBe(items.length);
        const reasons = items.map((i) => i.reason);
        expect(reasons.filter((r) => r === "not_helpful")).toHaveLength(SCRIPT.notHelpful.length);
        expect(reasons.filter((r) => r === "out_of_scope")).toHaveLength(
          SCRIPT.afterMisses + SCRIPT.outOfScope.length,
        );
        const thing = groups.find((g) => g.representative === "the thing with the stuff");
        expect(thing?.count).toBe(SCRIPT.afterMisses);
        expect(body.intents).toContainEqual({ id: "contact_support", label: expect.any(String) });
        expect(JSON.stringify(body)).not.toContain("abandon");
      });

      it("forgetting a user deletes their misses and labels; the figures stay and no fact can name them", async () => {
        // Prepare: a fresh conversation with a miss, labelled
        const sessionId = session();
        const miss = await web(sessionId, { text: "asdf qwer zxcv" });
        const id = miss.conversationId as string;
        expect(
          (await call("POST", `agent/conversations/${id}/messages/1.0/label`, admin, { intent: "fees" }))
            .status,
        ).toBe(200);
        const before = (await call("GET", `agent/insights?from=${today}&to=${today}`, admin))
          .body as Insights;
        const listed = async () =>
          (
            (await call("GET", `agent/insights/misses?from=${today}&to=${today}`, admin)).body
              .groups as Json[]
          )
            .flatMap((g) => g.items as Json[])
            .filter((item) => item.conversationId === id);
        expect(await listed()).toHaveLength(1);

        // Act
        const deleted = await runtime().store.forgetUser(`web:${sessionId}`);

        // Assess: the head, message pair, miss and label went; facts remain, naming only a random subject
        expect(deleted).toBe(5);
        expect(await listed()).toEqual([]);
        const items = (await runtime().store.client.send(new ScanCommand({ TableName: TABLE }))).Items ?? [];
        const userHash = id.split(".")[0] ?? "";
        // The agents' audit log keeps who did what to which conversation id, written once by design
        const left = items.filter((item) => !String(item.pk).startsWith("AUDIT#"));
        expect(left.filter((item) => JSON.stringify(item).includes(userHash))).toEqual([]);
        expect(items.filter((item) => String(item.pk).startsWith("FACT#")).length).toBeGreaterThan(30);
        const after = (await call("GET", `agent/insights?from=${today}&to=${today}`, admin)).body as Insights;
        expect(after.totals).toEqual(before.totals);
      });

      it("content:suggest writes labels as suggestions the content schema accepts, and reports a known utterance", async () => {
        // Prepare: a miss labelled with the intent it should have had, and a message already in the training data
        const miss = queued[SCRIPT.human.length] ?? "";
        expect(
          (
            await call("POST", `agent/conversations/${miss}/messages/1.0/label`, admin, {
              intent: "contact_support",
            })
          ).status,
        ).toBe(200);
        expect(
          (
            await call("POST", `agent/conversations/${queued[0]}/messages/1.0/label`, agent, {
              intent: "human_agent",
            })
          ).status,
        ).toBe(200);
        const out = join(mkdtempSync(join(tmpdir(), "guardline-suggest-")), "review.yaml");
        const env = { ...process.env, DYNAMODB_ENDPOINT: store.endpoint, TABLE_NAME: TABLE };

        // Act
        const { stdout } = await promisify(execFile)(
          join(ROOT, "node_modules", ".bin", "tsx"),
          ["src/cli/main.ts", "content:suggest", "--out", out],
          { cwd: ROOT, env },
        );

        // Assess
        const file = suggestionFileSchema.parse(parse(readFileSync(out, "utf8")));
        const support = file.find((entry) => entry.id === "contact_support");
        expect(support?.utterances).toContain("the thing with the stuff");
        expect(file.flatMap((entry) => entry.utterances)).not.toContain("转人工");
        expect(stdout).toContain("already a training utterance of human_agent: 转人工");
      }, 60_000);
    },
  );
}
