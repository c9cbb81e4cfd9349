import type { APIGatewayProxyHandlerV2 } from "aws-lambda";

/**
 * Every HTTP route and the Lambda function that serves it: the local server dispatches from this list
 * to the same handler modules Lambda runs, and a test proves serverless.yml declares the same list.
 */
export interface Route {
  method: "GET" | "HEAD" | "OPTIONS" | "POST";
  path: string;
  /** API Gateway's route path; `{name}` segments become path parameters. */
  /** The function's key in serverless.yml. */
  functionName: string;
  /** The handler file, relative to the repository root (serverless.yml's `handler` without `.handler`). */
  handlerFile: string;
  load: () => Promise<{ handler: APIGatewayProxyHandlerV2 }>;
}

const API_ROUTES: readonly Route[] = [
  {
    method: "GET",
    path: "/healthz",
    functionName: "health",
    handlerFile: "handlers/health.ts",
    load: () => import("../../handlers/health.ts"),
  },
  {
    method: "GET",
    path: "/",
    functionName: "webPage",
    handlerFile: "handlers/web-page.ts",
    load: () => import("../../handlers/web-page.ts"),
  },
  {
    method: "GET",
    path: "/widget.js",
    functionName: "webWidget",
    handlerFile: "handlers/web-widget.ts",
    load: () => import("../../handlers/web-widget.ts"),
  },
  {
    method: "POST",
    path: "/web/messages",
    functionName: "webPostMessage",
    handlerFile: "handlers/web-post-message.ts",
    load: () => import("../../handlers/web-post-message.ts"),
  },
  {
    // A browser's preflight before an allowed site posts to the chat (src/channels/web/web.origin.ts).
    method: "OPTIONS",
    path: "/web/messages",
    functionName: "webPostMessage",
    handlerFile: "handlers/web-post-message.ts",
    load: () => import("../../handlers/web-post-message.ts"),
  },
  {
    method: "GET",
    path: "/web/messages",
    functionName: "webListMessages",
    handlerFile: "handlers/web-list-messages.ts",
    load: () => import("../../handlers/web-list-messages.ts"),
  },
  {
    method: "POST",
    path: "/webhooks/telegram",
    functionName: "telegramWebhook",
    handlerFile: "handlers/telegram-webhook.ts",
    load: () => import("../../handlers/telegram-webhook.ts"),
  },
  {
    method: "POST",
    path: "/webhooks/discord",
    functionName: "discordInteractions",
    handlerFile: "handlers/discord-interactions.ts",
    load: () => import("../../handlers/discord-interactions.ts"),
  },
  {
    method: "GET",
    path: "/webhooks/meta",
    functionName: "metaWebhook",
    handlerFile: "handlers/meta-webhook.ts",
    load: () => import("../../handlers/meta-webhook.ts"),
  },
  {
    method: "POST",
    path: "/webhooks/meta",
    functionName: "metaWebhook",
    handlerFile: "handlers/meta-webhook.ts",
    load: () => import("../../handlers/meta-webhook.ts"),
  },
  {
    method: "GET",
    path: "/console",
    functionName: "consolePage",
    handlerFile: "handlers/console-page.ts",
    load: () => import("../../handlers/console-page.ts"),
  },
  {
    method: "GET",
    path: "/agent/me",
    functionName: "agentMe",
    handlerFile: "handlers/agent-me.ts",
    load: () => import("../../handlers/agent-me.ts"),
  },
  {
    method: "GET",
    path: "/agent/conversations",
    functionName: "agentConversations",
    handlerFile: "handlers/agent-conversations.ts",
    load: () => import("../../handlers/agent-conversations.ts"),
  },
  {
    method: "GET",
    path: "/agent/conversations/{id}",
    functionName: "agentConversation",
    handlerFile: "handlers/agent-conversation.ts",
    load: () => import("../../handlers/agent-conversation.ts"),
  },
  {
    method: "POST",
    path: "/agent/conversations/{id}/claim",
    functionName: "agentClaim",
    handlerFile: "handlers/agent-claim.ts",
    load: () => import("../../handlers/agent-claim.ts"),
  },
  {
    method: "POST",
    path: "/agent/conversations/{id}/messages",
    functionName: "agentReply",
    handlerFile: "handlers/agent-reply.ts",
    load: () => import("../../handlers/agent-reply.ts"),
  },
  {
    method: "POST",
    path: "/agent/conversations/{id}/notes",
    functionName: "agentNote",
    handlerFile: "handlers/agent-note.ts",
    load: () => import("../../handlers/agent-note.ts"),
  },
  {
    method: "POST",
    path: "/agent/conversations/{id}/handback",
    functionName: "agentHandback",
    handlerFile: "handlers/agent-handback.ts",
    load: () => import("../../handlers/agent-handback.ts"),
  },
  {
    method: "POST",
    path: "/agent/conversations/{id}/resolve",
    functionName: "agentResolve",
    handlerFile: "handlers/agent-resolve.ts",
    load: () => import("../../handlers/agent-resolve.ts"),
  },
  {
    method: "GET",
    path: "/agent/audit",
    functionName: "agentAudit",
    handlerFile: "handlers/agent-audit.ts",
    load: () => import("../../handlers/agent-audit.ts"),
  },
  {
    method: "GET",
    path: "/agent/insights",
    functionName: "agentInsights",
    handlerFile: "handlers/agent-insights.ts",
    load: () => import("../../handlers/agent-insights.ts"),
  },
  {
    method: "GET",
    path: "/agent/insights/misses",
    functionName: "agentInsightsMisses",
    handlerFile: "handlers/agent-insights-misses.ts",
    load: () => import("../../handlers/agent-insights-misses.ts"),
  },
  {
    method: "POST",
    path: "/agent/conversations/{id}/messages/{messageId}/label",
    functionName: "agentLabel",
    handlerFile: "handlers/agent-label.ts",
    load: () => import("../../handlers/agent-label.ts"),
  },
];

/**
 * Pages and the health check answer HEAD as they answer GET, without the body (uptime monitors and
 * link checkers send HEAD); API Gateway routes HEAD only where a route names it.
 */
const HEAD_PATHS = new Set(["/healthz", "/", "/console"]);

export const ROUTES: readonly Route[] = [
  ...API_ROUTES,
  ...API_ROUTES.filter((r) => r.method === "GET" && HEAD_PATHS.has(r.path)).map(
    (r): Route => ({ ...r, method: "HEAD" }),
  ),
];

/** The route for a request, with its path parameters; `methodMismatch` when only the method is wrong. */
export function matchRoute(
  method: string,
  path: string,
): { route: Route; pathParameters: Record<string, string> } | { methodMismatch: boolean } {
  let pathMatched = false;
  for (const route of ROUTES) {
    const names: string[] = [];
    const pattern = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      names.push(name);
      return "([^/]+)";
    });
    const match = new RegExp(`^${pattern}$`).exec(path);
    if (!match) continue;
    pathMatched = true;
    if (route.method !== method) continue;
    const pathParameters = Object.fromEntries(
      names.map((n, i) => [n, decodeURIComponent(match[i + 1] ?? "")]),
    );
    return { route, pathParameters };
  }
  return { methodMismatch: pathMatched };
}
