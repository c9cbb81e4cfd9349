import type { Runtime } from "../../runtime.ts";
import { MetaChannel } from "./meta.channel.ts";

const channels = new WeakMap<Runtime, MetaChannel>();

/** The Meta (WhatsApp / Messenger) channel of this runtime, built once; undefined when its credentials are not set. */
export function metaChannel(runtime: Runtime): MetaChannel | undefined {
  const { config } = runtime;
  const {
    META_APP_SECRET: appSecret,
    META_VERIFY_TOKEN: verifyToken,
    META_ACCESS_TOKEN: accessToken,
  } = config.env;
  if (!config.channels.meta.enabled || !appSecret || !verifyToken || !accessToken) return undefined;
  let channel = channels.get(runtime);
  if (!channel) {
    channel = new MetaChannel(
      { appSecret, verifyToken, accessToken, apiRoot: config.env.META_API_ROOT },
      runtime.bot,
    );
    channels.set(runtime, channel);
  }
  return channel;
}
