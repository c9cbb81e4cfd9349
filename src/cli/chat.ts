import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { loadBrain } from "../config.ts";
import { isLocale } from "../core/locale.ts";
import { type DialogueState, decide, type Inbound } from "../core/policy.ts";
import { ValidationError } from "../errors.ts";

/**
 * A terminal conversation through the same dialogue policy the channels use. Buttons are shown
 * numbered; typing the number presses the button. Conversation state lives in memory only.
 */
export async function chatCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { locale: { type: "string" } } });
  if (values.locale !== undefined && !isLocale(values.locale)) {
    throw new ValidationError("--locale must be zh-Hans, zh-Hant or en");
  }
  const { classifier, knowledge } = loadBrain();
  const context = { knowledge, rank: classifier.rank.bind(classifier) };
  const terminal = createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal: process.stdin.isTTY,
  });
  let state: DialogueState | undefined;
  let buttons: string[] = [];
  console.log("Guardline chat. Type a message; a number presses a button; Ctrl-D ends.");
  for await (const line of terminal) {
    const text = line.trim();
    if (!text) continue;
    const pressed = /^\d+$/.test(text) ? buttons[Number(text) - 1] : undefined;
    const hint = values.locale as Inbound["localeHint"];
    const inbound: Inbound = pressed
      ? { type: "button", buttonId: pressed, ...(hint ? { localeHint: hint } : {}) }
      : { type: "text", text, ...(hint ? { localeHint: hint } : {}) };
    const decision = decide(state, inbound, context);
    state = decision.state;
    buttons = [];
    for (const action of decision.actions) {
      if (action.type === "handoff")
        console.log(`[handoff to a human: ${action.priority}, ${action.reason}]`);
      if (action.type !== "reply") continue;
      console.log(`\n${action.reply.text}`);
      for (const button of action.reply.buttons ?? []) {
        buttons.push(button.id);
        console.log(`  [${buttons.length}] ${button.label}`);
      }
    }
    console.log();
  }
}
