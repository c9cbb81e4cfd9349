import { WebChannel } from "../channels/web/web.channel.ts";
import type { ChannelFactory } from "./runtime.ts";

/** The web chat is always on: it needs no credentials. */
export const webChannel: ChannelFactory = () => new WebChannel();
