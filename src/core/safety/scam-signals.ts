/**
 * Scam signals in a user's message: the patterns of impersonation scams that warrant an urgent
 * warning and an urgent handoff whatever the classifier says. Each is a short list of phrasings in
 * the three scripts and English; the classifier's scam_report intent covers the looser wordings.
 */
export const SCAM_SIGNALS = [
  "unsolicited_contact",
  "secret_request",
  "remote_access",
  "safe_account",
  "connect_wallet",
  "fee_for_refund",
] as const;
export type ScamSignal = (typeof SCAM_SIGNALS)[number];

const SUPPORT = "(?:客服|官方|工作人员|工作人員|support|customer service|admin|agent|staff|team)";

const PATTERNS: Record<ScamSignal, RegExp[]> = {
  unsolicited_contact: [
    new RegExp(
      `(自称|自稱|说是|說是|声称|聲稱|冒充|假装|假裝|claim(?:ed|ing|s)? to be|said (?:he|she|they) (?:was|were|is|are)|pretend(?:ed|ing)? to be)[^。.!?\\n]{0,12}${SUPPORT}`,
      "iu",
    ),
    new RegExp(
      `${SUPPORT}[^。.!?\\n]{0,10}(主动|主動|先)[^。.!?\\n]{0,6}(私信|私訊|联系|聯絡|聯繫|加我|打电话|打電話|来电|來電|找我)`,
      "iu",
    ),
    new RegExp(
      `(DM(?:'?d|ed)?|messaged|texted|called|contacted|reached out to|added) me[^.!?\\n]{0,30}${SUPPORT}`,
      "iu",
    ),
    new RegExp(
      `${SUPPORT}[^.!?\\n]{0,20}(DM(?:'?d|ed)?|messaged|texted|called|contacted|reached out to) me`,
      "iu",
    ),
  ],
  secret_request: [
    /(他|她|对方|對方|有人|客服|他们|他們|那人|骗子|騙子|陌生人)[^。.!?\n]{0,8}(要|问|問|索要|索取|讓我|让我|叫我)[^。.!?\n]{0,10}(助记词|助記詞|私钥|私鑰|验证码|驗證碼|恢复短语|恢復短語)/u,
    /ask(?:ed|ing|s)? (?:me )?(?:for|to (?:send|give|share|enter|type))[^.!?\n]{0,20}(seed|recovery phrase|mnemonic|private key|verification code|otp|12 words|24 words)/iu,
  ],
  remote_access: [
    /(屏幕共享|共享屏幕|螢幕分享|分享螢幕|屏幕分享|远程控制|遠端控制|远程协助|遠端協助|远程软件|遠端軟體|向日葵|todesk|anydesk|teamviewer|rustdesk)/iu,
    /(screen ?shar(?:e|ing)|share (?:my|your) screen|remote (?:access|control|desktop|support app))/iu,
  ],
  safe_account: [
    /(安全账户|安全帳戶|安全账号|安全帳號|安全钱包|安全錢包|保险账户|保險帳戶)/u,
    /(safe|secure|protected|safety) (account|wallet)/iu,
  ],
  connect_wallet: [
    /(连接钱包|連接錢包|授权钱包|授權錢包|钱包授权|錢包授權|链接钱包|連結錢包)/u,
    /(connect|link|sync|validate) (?:my |your |the )?wallet (?:to|with|on|at)/iu,
  ],
  fee_for_refund: [
    /(退款|退钱|退錢|赔付|賠付|补偿|補償|解冻|解凍)[^。.!?\n]{0,16}(先交|先付|先转|先轉|手续费|手續費|保证金|保證金|解冻费|解凍費|激活费|激活費|税费|稅費)/u,
    /(先交|先付|先转|先轉)[^。.!?\n]{0,10}(手续费|手續費|保证金|保證金|解冻费|解凍費|激活费|激活費|税费|稅費)[^。.!?\n]{0,12}(才能|才可以|就能)[^。.!?\n]{0,6}(提现|提現|退款|到账|到帳|解冻|解凍)/u,
    /(refund|compensation|unfreeze|unlock|withdraw)[^.!?\n]{0,30}(pay|send|transfer)[^.!?\n]{0,15}(fee|deposit|tax|first)/iu,
    /(pay|send|transfer)[^.!?\n]{0,20}(fee|deposit|tax)[^.!?\n]{0,30}(refund|compensation|unfreeze|unlock)/iu,
  ],
};

/**
 * Looser phrasings that are scam cues once the user has reported a contact the registry does not list
 * (in this message or a recent one): after "is wallet-example-support.com yours?", "they said to
 * connect my wallet" needs no "at <url>" to be about that site.
 */
const AFTER_SUSPECT_CONTACT: Partial<Record<ScamSignal, RegExp[]>> = {
  connect_wallet: [
    /(连接|連接|链接|連結|授权|授權|验证|驗證|同步|绑定|綁定)(?:一下)?(?:我的|你的)?(钱包|錢包)/u,
    /(connect|link|sync|validate|verify|authori[sz]e|import) (?:my |your |the )?wallet/iu,
  ],
  secret_request: [
    /(要|问|問|索要|索取|讓我|让我|叫我|发给|發給|输入|輸入)[^。.!?\n]{0,10}(助记词|助記詞|私钥|私鑰|验证码|驗證碼|密码|密碼|恢复短语|恢復短語)/u,
    /(ask(?:ed|ing|s)?|want(?:ed|s)?|need(?:ed|s)?|told me to (?:send|give|share|enter|type))[^.!?\n]{0,20}(seed|recovery phrase|mnemonic|private key|code|password|12 words|24 words)/iu,
  ],
  fee_for_refund: [
    /(交|付|转|轉|充)[^。.!?\n]{0,6}(手续费|手續費|保证金|保證金|税|稅|激活费|激活費|解冻费|解凍費)/u,
    /(pay|send|transfer|deposit)[^.!?\n]{0,20}(fee|deposit|tax|charge)/iu,
  ],
  safe_account: [
    /(转|轉|提|充)(?:到|给|給|去|进|進)[^。.!?\n]{0,10}(地址|账户|帳戶|账号|帳號|钱包|錢包)/u,
    /(send|transfer|move|withdraw)[^.!?\n]{0,20}(funds|coins|usdt|usdc|money|crypto|balance|assets)[^.!?\n]{0,20}(to|into) (?:them|their|this|that|an?|the|new)/iu,
  ],
};

export interface ScamContext {
  /** The user reported a contact that is not in the registry, in this message or a recent one. */
  afterSuspectContact?: boolean;
}

export function scamSignals(text: string, context: ScamContext = {}): ScamSignal[] {
  const normalised = text.normalize("NFKC");
  const matches = (signal: ScamSignal) =>
    PATTERNS[signal].some((p) => p.test(normalised)) ||
    (context.afterSuspectContact === true &&
      (AFTER_SUSPECT_CONTACT[signal] ?? []).some((p) => p.test(normalised)));
  return SCAM_SIGNALS.filter(matches);
}
