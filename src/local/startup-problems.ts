import { $ZodError, type $ZodIssue } from "zod/v4/core";
import { ValidationError } from "../errors.ts";
import { StoreInUseError } from "./embedded-dynamo.ts";

/**
 * What went wrong at start, as one line per problem that names the variable and what it expects
 * (never its value: it may be a token). Undefined for an error that is not a start-up problem, which
 * the caller reports in full.
 */
export function startupProblems(error: unknown, env: NodeJS.ProcessEnv = process.env): string[] | undefined {
  if (
    error instanceof ValidationError &&
    error.cause instanceof $ZodError &&
    error.message.startsWith("environment")
  )
    return error.cause.issues.map((issue) => `${issue.path.join(".") || "environment"}: ${expected(issue)}`);
  if (error instanceof StoreInUseError)
    return [
      `DATA_DIR: ${error.dataDir} is in use by another process (a second npm start?); stop it, or set another DATA_DIR`,
    ];
  const network = error as (NodeJS.ErrnoException & { hostname?: string }) | undefined;
  const code = network?.code;
  const host = env.HOST ?? "127.0.0.1";
  const store = env.DYNAMODB_ENDPOINT ? new URL(env.DYNAMODB_ENDPOINT).hostname : undefined;
  if (code === "EADDRINUSE")
    return [`PORT: ${env.PORT ?? "3000"} on ${host} is already in use; set another PORT`];
  if (
    (code === "ENOTFOUND" || code === "ECONNREFUSED") &&
    store &&
    network?.syscall !== "listen" &&
    network?.hostname !== host
  )
    return [unreachableStore(env.DYNAMODB_ENDPOINT ?? "")];
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND")
    return [`HOST: ${host} is not an address of this machine`];
  if (error instanceof Error && /has no product model|different builds/.test(error.message))
    return [error.message];
  return undefined;
}

/** A line for a DYNAMODB_ENDPOINT that takes no connections. */
export function unreachableStore(endpoint: string): string {
  return `DYNAMODB_ENDPOINT: nothing answers at ${endpoint}; start that store, or unset DYNAMODB_ENDPOINT to use the embedded one`;
}

function expected(issue: $ZodIssue): string {
  switch (issue.code) {
    case "too_big":
      return `expected a ${issue.origin} ${issue.inclusive ? "≤" : "<"} ${String(issue.maximum)}`;
    case "too_small":
      return `expected a ${issue.origin} ${issue.inclusive ? "≥" : ">"} ${String(issue.minimum)}`;
    case "invalid_value":
      return `expected one of ${issue.values.map(String).join(", ")}`;
    case "invalid_format":
      if (issue.format === "url") return "expected an http(s) URL";
      return issue.format === "regex" ? `expected ${issue.message}` : issue.message;
    case "invalid_type":
      return `expected ${issue.expected === "number" ? "a number" : issue.expected}`;
    default:
      return issue.message;
  }
}
