/** The widget's own strings (content/ui.yaml `widget:`), put into the bundle by scripts/build-web.ts. */
export const WIDGET_KEYS = ["open", "close", "title", "unavailable"] as const;
export type WidgetKey = (typeof WIDGET_KEYS)[number];
export type WidgetStrings = Readonly<Record<WidgetKey, string>>;
