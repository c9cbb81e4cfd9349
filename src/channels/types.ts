import type { Reply } from "../core/policy.ts";

/** Channels hand the bot an InboundMessage and render the TurnOutcome's replies for their platform. */
export type { InboundMessage, TurnOutcome } from "../handoff/inbound.ts";

/** What the bot sends back: text with optional buttons; each adapter renders it for its platform. */
export type OutboundReply = Reply;
