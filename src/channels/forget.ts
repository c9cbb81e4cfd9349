/**
 * "Forget me": every channel asks first, with these two buttons (signed like any other), and only
 * the confirmation deletes the user's stored conversations.
 */
export const FORGET = { confirm: "forget:yes", cancel: "forget:no" } as const;

export type ForgetStep = "ask" | "confirm" | "cancel";

/** The step a pressed button id stands for, if it is one of the two. */
export function forgetStep(buttonId: string): ForgetStep | undefined {
  if (buttonId === FORGET.confirm) return "confirm";
  if (buttonId === FORGET.cancel) return "cancel";
  return undefined;
}
