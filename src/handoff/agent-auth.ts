import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { TooManyRequestsError, UnauthorizedError } from "../errors.ts";
import type { AgentStore } from "../store/agent-store.ts";
import type { AgentRecord, AgentRole } from "../store/records.ts";

/** Tokens look like `gla_<agent id>_<secret>`; only SHA-256 of the secret is stored. */
const TOKEN = /^gla_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export interface AgentIdentity {
  id: string;
  name: string;
  role: AgentRole;
}

function hashSecret(secret: string): string {
  return createHash("sha256").update(`guardline:agent:${secret}`).digest("base64url");
}

export async function createAgent(
  store: AgentStore,
  input: { name: string; role: AgentRole },
  now = new Date(),
): Promise<AgentIdentity & { token: string }> {
  const id = randomBytes(9)
    .toString("base64url")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "0")
    .slice(0, 12);
  const secret = randomBytes(32).toString("base64url");
  const agent: AgentRecord = {
    id,
    name: input.name,
    role: input.role,
    tokenHash: hashSecret(secret),
    createdAt: now.toISOString(),
  };
  await store.putAgent(agent, true);
  return { id, name: input.name, role: input.role, token: `gla_${id}_${secret}` };
}

export async function revokeAgent(store: AgentStore, id: string, now = new Date()): Promise<boolean> {
  const agent = await store.getAgent(id);
  if (!agent) return false;
  await store.putAgent({ ...agent, revokedAt: now.toISOString() }, false);
  return true;
}

/** Failed attempts per source address in a sliding window, kept per function instance. */
const WINDOW_MS = 5 * 60_000;
const MAX_FAILURES = 10;

export class AgentAuthenticator {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly store: AgentStore) {}

  /** The agent behind `Authorization: Bearer <token>`, or UnauthorizedError (429 after repeated failures). */
  async authenticate(authorization: string | undefined, source: string): Promise<AgentIdentity> {
    const now = Date.now();
    const recent = (this.failures.get(source) ?? []).filter((t) => now - t < WINDOW_MS);
    // A token that verifies always gets in: one script behind an office's NAT must not lock out the
    // agents there. Only failures count, and past the limit they are answered 429.
    const agent = await this.check(authorization);
    if (agent) {
      this.failures.delete(source);
      return agent;
    }
    if (recent.length >= MAX_FAILURES)
      throw new TooManyRequestsError("too many failed sign-ins; try again later");
    recent.push(now);
    this.failures.set(source, recent);
    throw new UnauthorizedError("missing, unknown or revoked agent token");
  }

  private async check(authorization: string | undefined): Promise<AgentIdentity | undefined> {
    const match = TOKEN.exec(/^Bearer (\S+)$/.exec(authorization ?? "")?.[1] ?? "");
    if (!match?.[1] || !match[2]) return undefined;
    const agent = await this.store.getAgent(match[1]);
    const given = Buffer.from(hashSecret(match[2]));
    // Compared in constant time; an unknown agent is compared against a dummy of the same length.
    const expected = Buffer.from(agent?.tokenHash ?? hashSecret("no-such-agent"));
    const same = given.length === expected.length && timingSafeEqual(given, expected);
    if (!agent || !same || agent.revokedAt) return undefined;
    return { id: agent.id, name: agent.name, role: agent.role };
  }
}
