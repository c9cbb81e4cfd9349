/** Stylesheets the widget bundles as text (esbuild's `text` loader in scripts/build-web.ts). */
declare module "*.css" {
  const text: string;
  export default text;
}
