import { type AddressInfo, connect, createServer, type Socket } from "node:net";
import { startEmbeddedDynamo } from "../src/local/embedded-dynamo.ts";
import { startLocalServer } from "../src/local/server.ts";
import { FakeTelegram } from "../tests/support/fake-telegram.ts";
import { TELEGRAM_HEADERS, TELEGRAM_SECRET, TELEGRAM_TOKEN, telegramRequest } from "./load-channels.ts";
import { countStored, type Drive, driveMessages, type LoadResult, summarise } from "./load-support.ts";

/**
 * Telegram with the store stopped for the middle third of the run: the webhook must answer 5xx
 * while it is down (so Telegram redelivers), and once it is back every update, delivered again as
 * Telegram would, must be stored exactly once.
 */
export async function outage(pace: Drive): Promise<LoadResult> {
  const store = await startEmbeddedDynamo();
  const link = await storeLink(store.endpoint);
  const fake = new FakeTelegram();
  Object.assign(process.env, {
    TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
    TELEGRAM_SECRET_TOKEN: TELEGRAM_SECRET,
    TELEGRAM_API_ROOT: await fake.start(),
  });
  const server = await startLocalServer({
    tableName: "guardline-load-outage",
    dynamodbEndpoint: link.endpoint,
  });
  const base = new URL(server.url);
  const third = (pace.durationS * 1000) / 3;
  const stop = setTimeout(() => link.cut(), third);
  const restart = setTimeout(() => link.restore(), 2 * third);
  try {
    const { result, sent } = await driveMessages("outage", base, pace, (marker) => telegramRequest(marker));
    process.stderr.write(`· outage: ${result["5xx"]} answered 5xx while the store was cut off\n`);
    // Telegram redelivers what was not answered 2xx; deliver every update again, which is stronger.
    let redelivered5xx = 0;
    for (let i = 0; i < sent.bodies.length; i += pace.connections) {
      const batch = sent.bodies.slice(i, i + pace.connections);
      const statuses = await Promise.all(
        batch.map(async (body) => {
          const url = new URL("webhooks/telegram", base);
          return (await fetch(url, { method: "POST", headers: TELEGRAM_HEADERS, body })).status;
        }),
      );
      redelivered5xx += statuses.filter((status) => status >= 500).length;
    }
    const counted = await countStored(sent.keys);
    return {
      ...summarise("outage", pace, result, sent.keys.size, counted),
      // Here every update was delivered again after the store came back, so all must be stored.
      lost: sent.keys.size - counted.stored + redelivered5xx,
    };
  } finally {
    clearTimeout(stop);
    clearTimeout(restart);
    await server.close();
    await link.close();
    await store.close();
    await fake.stop();
  }
}

/**
 * The line between the server and its store, which the outage cuts: a TCP relay on 127.0.0.1 that,
 * while cut, drops every connection it has and refuses new ones (as a store that went away), and
 * relays again once restored. The store itself keeps its data meanwhile.
 */
async function storeLink(endpoint: string) {
  const target = new URL(endpoint);
  let down = false;
  const sockets = new Set<Socket>();
  const relay = createServer((client) => {
    if (down) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(target.port), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => socket.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => relay.listen(0, "127.0.0.1", resolve));
  const { port } = relay.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    cut() {
      down = true;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      down = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        relay.close(() => resolve());
      }),
  };
}
