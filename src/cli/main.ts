/**
 * `npm run --silent cli -- <command>`: the operator's and developer's command line (product.md §9).
 * Each command lives in its own module; this file only dispatches and turns errors into exit codes.
 */
import { AppError } from "../errors.ts";
import { startupProblems } from "../local/startup-problems.ts";
import { agentCreateCommand, agentRevokeCommand, jobsRunCommand } from "./agent-commands.ts";
import { chatCommand } from "./chat.ts";
import { classifyCommand, evalCommand, trainCommand } from "./classifier-commands.ts";
import { registerCommand } from "./discord-commands.ts";
import { insightsCommand } from "./insights-commands.ts";
import { missesCommand, suggestCommand } from "./learning-commands.ts";
import { keygenCommand, signCommand, verifyCommand } from "./registry-commands.ts";
import { setWebhookCommand } from "./telegram-commands.ts";

const COMMANDS: Record<string, { run: (args: string[]) => Promise<void> | void; usage: string }> = {
  classify: { run: classifyCommand, usage: 'classify [--json] "<text>"' },
  train: {
    run: trainCommand,
    usage:
      "train --data <csv> --out <model.json> [--holdout 0.1] [--seed 1] [--cv 5] [--c 4] [--han 1-3] [--han-across yes|no] [--han-runs yes|no] [--words 1|2] [--subwords 3-4] [--max-df 0.5] [--fixed]",
  },
  eval: {
    run: evalCommand,
    usage: "eval --data <csv> [--model <model.json>] [--holdout 0.1] [--seed 1] [--json]",
  },
  chat: { run: chatCommand, usage: "chat [--locale zh-Hans|zh-Hant|en]" },
  "agent:create": {
    run: agentCreateCommand,
    usage: "agent:create --name <name> [--role agent|admin] [--telegram-user-id <id>] [--json]",
  },
  "agent:revoke": { run: agentRevokeCommand, usage: "agent:revoke --id <agent id>" },
  "jobs:run": {
    run: jobsRunCommand,
    usage: "jobs:run   (idle conversations back to the bot, SLA escalations)",
  },
  insights: {
    run: insightsCommand,
    usage: "insights [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json]   (default: the last 7 days)",
  },
  "insights:misses": {
    run: missesCommand,
    usage: "insights:misses [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json]   (unanswered questions, grouped)",
  },
  "content:suggest": {
    run: suggestCommand,
    usage:
      "content:suggest --out <file> [--from] [--to]   (agents' labels as utterance suggestions, for review)",
  },
  "discord:register": { run: registerCommand, usage: "discord:register [--guild <server id>]" },
  "telegram:set-webhook": {
    run: setWebhookCommand,
    usage: "telegram:set-webhook --url <https url of /webhooks/telegram> [--drop-pending-updates]",
  },
  "registry:keygen": { run: keygenCommand, usage: "registry:keygen --out <dir>" },
  "registry:sign": {
    run: signCommand,
    usage: "registry:sign --key <registry-private.pem> [--content <dir>]",
  },
  "registry:verify": {
    run: verifyCommand,
    usage: "registry:verify [--public-key <base64|file>] [--content <dir>]",
  },
};

// The AWS SDK warns on Node 20 about its 2027 releases; Node 20 is supported here, the warning is noise.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

function usage(): string {
  return `usage: npm run --silent cli -- <command>\n${Object.values(COMMANDS)
    .map((c) => `  ${c.usage}`)
    .join("\n")}`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    console.error(name && name !== "--help" ? `unknown command "${name}"\n${usage()}` : usage());
    return name && name !== "--help" ? 2 : 0;
  }
  try {
    await command.run(args);
    return 0;
  } catch (error) {
    // Configuration and store problems: one line each, naming the variable.
    const problems = startupProblems(error);
    if (problems) {
      console.error(problems.map((p) => `error: ${p}`).join("\n"));
      return 2;
    }
    // Argument and data problems are the user's to fix: say what, without a stack trace.
    const known =
      error instanceof AppError || (error instanceof Error && error.name === "TypeError" && "code" in error);
    console.error(known ? `error: ${(error as Error).message}` : error);
    return known ? 2 : 1;
  }
}

// `cli … | head` closes the pipe early: that is not an error worth a stack trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});
process.exitCode = await main(process.argv.slice(2));
