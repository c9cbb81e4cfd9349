import type { Example } from "../../src/core/train.ts";

/** Eighteen messages in three labels and all three scripts: enough for fast trainer and selection tests. */
export const TINY_EXAMPLES: Example[] = [
  ...[
    "忘记密码",
    "密码忘了怎么办",
    "forgot my password",
    "reset password please",
    "忘記密碼了",
    "pwd reset",
  ].map((text) => ({ text, label: "password" })),
  ...[
    "转账失败",
    "转账一直失败",
    "transfer failed",
    "my transfer was rejected",
    "轉帳失敗",
    "cant send money",
  ].map((text) => ({ text, label: "transfer" })),
  ...[
    "今天天气怎么样",
    "tell me a joke",
    "what's the weather",
    "講個笑話",
    "best pizza nearby",
    "天气预报",
  ].map((text) => ({ text, label: "other" })),
];
