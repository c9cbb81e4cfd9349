import type { ChannelAdapter } from "../channels/types.ts";
import { ChannelApiError } from "../errors.ts";
import type { ConversationRecord } from "../store/records.ts";

/** Sends an agent's (or the system's) message to the user on the channel they wrote from. */
export type Deliver = (head: ConversationRecord, text: string, from: "agent" | "bot") => Promise<void>;

/** The adapter of a channel this function can deliver on; undefined when it is off or not wired. */
export type Deliverers = (channel: string) => Pick<ChannelAdapter, "deliver"> | undefined;

/**
 * Delivery through whichever adapter serves the conversation's channel. A channel that is off (or
 * absent from this function) is a ChannelApiError: the message stays in the transcript.
 */
export function deliveryVia(channels: Deliverers, label: (channel: string) => string = (c) => c): Deliver {
  return async (head, text, from) => {
    const channel = channels(head.channel);
    if (!channel) {
      throw new ChannelApiError(
        head.channel,
        "deliver",
        0,
        `the ${label(head.channel)} channel is not enabled`,
      );
    }
    await channel.deliver(head, text, from);
  };
}
