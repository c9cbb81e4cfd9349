// node-nlp ships no type declarations; the bench describes the part it uses where it imports it.
declare module "node-nlp";
