import { parseArgs } from "node:util";
import * as z from "zod/mini";
import { EVERY_CHANNEL } from "../app/adapters.ts";
import { agentRuntime } from "../app/agents.ts";
import { resetRuntime, runtime, useAgentRoom, useChannels } from "../app/runtime.ts";
import { loadConfig } from "../config.ts";
import { ValidationError } from "../errors.ts";
import { createAgent, revokeAgent } from "../handoff/agent-auth.ts";
import { reachable, runningStore, startEmbeddedDynamo } from "../local/embedded-dynamo.ts";
import { unreachableStore } from "../local/startup-problems.ts";
import { ensureTable } from "../store/ensure-table.ts";
import { validate } from "../validate.ts";

/**
 * Runs `work` against the store `npm start` uses: DYNAMODB_ENDPOINT when set; else the embedded
 * store of DATA_DIR, through the running `npm start` when there is one (it records its endpoint
 * there), or opened here when there is not.
 */
export async function withStore<T>(work: () => Promise<T>): Promise<T> {
  const { env } = loadConfig(); // a bad variable is reported before any store is opened
  if (env.DYNAMODB_ENDPOINT && !(await reachable(env.DYNAMODB_ENDPOINT, 3_000)))
    throw new ValidationError(unreachableStore(env.DYNAMODB_ENDPOINT), { field: "DYNAMODB_ENDPOINT" });
  const dataDir = process.env.DATA_DIR ?? ".data";
  const shared = process.env.DYNAMODB_ENDPOINT ? undefined : await runningStore(dataDir);
  if (shared) process.env.DYNAMODB_ENDPOINT = shared;
  const embedded = process.env.DYNAMODB_ENDPOINT ? undefined : await startEmbeddedDynamo({ dataDir });
  if (embedded) process.env.DYNAMODB_ENDPOINT = embedded.endpoint;
  try {
    resetRuntime();
    const { store, config } = runtime();
    await ensureTable(store.client, config.env.TABLE_NAME);
    return await work();
  } finally {
    resetRuntime();
    await embedded?.close();
  }
}

const createArgs = z.object({
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(80)),
  role: z._default(z.enum(["agent", "admin"]), "agent"),
  telegramUserId: z.optional(z.coerce.number().check(z.int(), z.positive())),
});

/**
 * `agent:create --name <n> [--role agent|admin] [--telegram-user-id <id>] [--json]`: prints the new
 * agent's token, once; with a Telegram user id the agent can also act from the agents' group.
 */
export async function agentCreateCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      name: { type: "string" },
      role: { type: "string" },
      "telegram-user-id": { type: "string" },
      json: { type: "boolean" },
    },
  });
  const input = validate(
    createArgs,
    { name: values.name, role: values.role, telegramUserId: values["telegram-user-id"] },
    "arguments",
  );
  const agent = await withStore(async () => {
    const { agents } = agentRuntime(runtime());
    const created = await createAgent(agents, { name: input.name, role: input.role });
    if (input.telegramUserId) await agents.linkTelegram(created.id, input.telegramUserId);
    return created;
  });
  if (values.json) {
    console.log(JSON.stringify(agent));
    return;
  }
  console.log(`agent ${agent.name} (${agent.role}), id ${agent.id}`);
  console.log(`token: ${agent.token}`);
  console.log("This token is shown once and stored only as a hash: hand it to the agent now.");
}

/** `agent:revoke --id <id>`: the agent's token stops working at once. */
export async function agentRevokeCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { id: { type: "string" } } });
  const id = validate(z.string().check(z.regex(/^[a-z0-9]{12}$/, "an agent id")), values.id ?? "", "--id");
  const revoked = await withStore(() => revokeAgent(agentRuntime(runtime()).agents, id));
  console.log(revoked ? `agent ${id} revoked` : `no agent ${id}`);
}

/** `jobs:run`: the scheduled handoff job once (idle returns, SLA escalations). */
export async function jobsRunCommand(): Promise<void> {
  useChannels(EVERY_CHANNEL.channels);
  useAgentRoom(EVERY_CHANNEL.room);
  const result = await withStore(() => agentRuntime(runtime()).runJobs());
  console.log(JSON.stringify(result));
}
