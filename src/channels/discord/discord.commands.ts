import { REST } from "@discordjs/rest";
import { Routes } from "discord-api-types/v10";
import { ChannelApiError } from "../../errors.ts";

const STRING = 3;
const text = (name: string, zhCN: string, zhTW: string, description: string, zh: [string, string]) => ({
  name,
  type: STRING,
  required: true,
  description,
  name_localizations: { "zh-CN": zhCN, "zh-TW": zhTW },
  description_localizations: { "zh-CN": zh[0], "zh-TW": zh[1] },
});

/** The slash commands, with names and descriptions in Simplified and Traditional Chinese. */
export const DISCORD_COMMANDS = [
  {
    name: "ask",
    description: "Ask official support a question",
    name_localizations: { "zh-CN": "提问", "zh-TW": "提問" },
    description_localizations: { "zh-CN": "向官方客服提问", "zh-TW": "向官方客服提問" },
    options: [
      text("question", "问题", "問題", "Your question (never a password or code)", [
        "你的问题（不要填写密码或验证码）",
        "你的問題（不要填寫密碼或驗證碼）",
      ]),
    ],
  },
  {
    name: "contact",
    description: "Official contact channels",
    name_localizations: { "zh-CN": "联系方式", "zh-TW": "聯絡方式" },
    description_localizations: { "zh-CN": "官方联系渠道", "zh-TW": "官方聯絡管道" },
  },
  {
    name: "verify",
    description: "Check whether a number, site or account is official",
    name_localizations: { "zh-CN": "核实", "zh-TW": "核實" },
    description_localizations: {
      "zh-CN": "核实号码、网址或账号是否官方",
      "zh-TW": "核實號碼、網址或帳號是否官方",
    },
    options: [
      text("text", "内容", "內容", "The number, link or account you found", [
        "你看到的号码、链接或账号",
        "你看到的號碼、連結或帳號",
      ]),
    ],
  },
  {
    name: "human",
    description: "Talk to a support agent",
    name_localizations: { "zh-CN": "转人工", "zh-TW": "轉真人" },
    description_localizations: { "zh-CN": "转接人工客服", "zh-TW": "轉接真人客服" },
  },
  {
    name: "forget",
    description: "Delete your conversation history with support",
    name_localizations: { "zh-CN": "删除记录", "zh-TW": "刪除紀錄" },
    description_localizations: { "zh-CN": "删除你的客服聊天记录", "zh-TW": "刪除你的客服對話紀錄" },
  },
].map((command) => ({ ...command, type: 1, contexts: [0, 1, 2], integration_types: [0, 1] }));

export interface DiscordApplication {
  applicationId: string;
  botToken: string;
  apiRoot: string;
}

/** Registers the slash commands globally, or in one server for testing; returns their names. */
export async function registerDiscordCommands(app: DiscordApplication, guild?: string): Promise<string[]> {
  const rest = new REST({ version: "10", api: app.apiRoot }).setToken(app.botToken);
  const route = guild
    ? Routes.applicationGuildCommands(app.applicationId, guild)
    : Routes.applicationCommands(app.applicationId);
  try {
    const registered = (await rest.put(route, { body: DISCORD_COMMANDS })) as { name: string }[];
    return registered.map((c) => c.name);
  } catch (error) {
    const status = (error as { status?: number }).status ?? 0;
    throw new ChannelApiError(
      "discord",
      "registerCommands",
      status,
      `Discord answered: ${(error as Error).message}`,
      { cause: error },
    );
  }
}
