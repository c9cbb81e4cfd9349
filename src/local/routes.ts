import type { APIGatewayProxyHandlerV2 } from "aws-lambda";

/**
 * Every HTTP route and the Lambda function that serves it: the local server dispatches from this list
 * to the same handler modules Lambda runs, and a test proves serverless.yml declares the same list.
 */
export interface Route {
  method: "GET" | "POST";
  path: string;
  /** The function's key in serverless.yml. */
  functionName: string;
  /** The handler file, relative to the repository root (serverless.yml's `handler` without `.handler`). */
  handlerFile: string;
  load: () => Promise<{ handler: APIGatewayProxyHandlerV2 }>;
}

export const ROUTES: readonly Route[] = [
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
    method: "POST",
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
];
