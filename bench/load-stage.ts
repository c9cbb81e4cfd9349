import { type Drive, driveMessages, type LoadResult, markedText, summarise } from "./load-support.ts";

/** Sessions whose history is read back: enough to see a loss, few enough not to load the stage. */
const SAMPLE = 200;

/**
 * The web scenario against a deployed stage: a new session per message, as locally. The stage's store
 * is out of reach, so a sample of sessions is read back through `GET /web/messages`; the last
 * requests prepared may never have been sent, so expect a few misses there.
 */
export async function runOnStage(url: string, pace: Drive): Promise<LoadResult> {
  const base = new URL(url.endsWith("/") ? url : `${url}/`);
  const sessions = new Map<string, string>();
  const { result } = await driveMessages("web", base, pace, (marker) => {
    const sessionId = `load-${marker}-session`;
    sessions.set(marker, sessionId);
    return {
      path: "/web/messages",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ sessionId, text: markedText(marker) }),
    };
  });
  const sample = new Map([...sessions].slice(0, SAMPLE));
  const counted = await countStoredRemote(base, sample);
  return summarise(`web (stage, ${sample.size} sampled)`, pace, result, sample.size, counted);
}

/** Each sampled session's history must hold its message, once. */
async function countStoredRemote(
  base: URL,
  sessions: Map<string, string>,
): Promise<{ stored: number; storedTwice: number }> {
  let stored = 0;
  let storedTwice = 0;
  for (const [marker, sessionId] of sessions) {
    const response = await fetch(new URL(`web/messages?sessionId=${sessionId}`, base));
    const { messages } = (await response.json()) as { messages: { from: string; text: string }[] };
    const copies = messages.filter((m) => m.from === "user" && m.text.startsWith(`#${marker} `)).length;
    if (copies > 0) stored++;
    if (copies > 1) storedTwice++;
  }
  return { stored, storedTwice };
}
