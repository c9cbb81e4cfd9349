import { WebChannel } from "../channels/web/web.channel.ts";
import { withAllowedOrigins } from "../channels/web/web.origin.ts";
import { type ChannelFactory, runtime } from "./runtime.ts";

/** The web chat is always on: it needs no credentials. */
export const webChannel: ChannelFactory = () => new WebChannel();

/** The web routes' cross-origin rule, with this deployment's allowed origins (`WEB_ALLOWED_ORIGINS`). */
export const webOrigins = (handle: Parameters<typeof withAllowedOrigins>[1]) =>
  withAllowedOrigins(() => runtime().config.env.WEB_ALLOWED_ORIGINS, handle);
