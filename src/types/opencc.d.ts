// opencc-js ships its dictionaries as modules whose default export is the dictionary text
// ("from to|from to|…"); they have no type declarations of their own.
declare module "opencc-js/dict/*" {
  const dictionary: string;
  export default dictionary;
}
