import { MetaChannel } from "../channels/meta/meta.channel.ts";
import type { ChannelFactory } from "./runtime.ts";

/** The WhatsApp / Messenger channel, when its app secret, verify token and access token are set. */
export const metaChannel: ChannelFactory = ({ config }) => {
  const {
    META_APP_SECRET: appSecret,
    META_VERIFY_TOKEN: verifyToken,
    META_ACCESS_TOKEN: accessToken,
  } = config.env;
  if (!config.channels.meta.enabled || !appSecret || !verifyToken || !accessToken) return undefined;
  return new MetaChannel({ appSecret, verifyToken, accessToken, apiRoot: config.env.META_API_ROOT });
};
