import { loadBrain } from "../src/config.ts";
import { scoreContacts, scoreSecrets } from "../tests/support/safety-corpus.ts";

const { knowledge } = loadBrain();
for (const [c, s] of [
  ["contacts.csv", "secrets.csv"],
  ["contacts-heldout.csv", "secrets-heldout.csv"],
]) {
  const x = scoreContacts(knowledge, c);
  console.log(
    c,
    JSON.stringify({
      ...x,
      missedImpersonations: x.missedImpersonations,
      officialCalledFake: x.officialCalledFake,
    }),
  );
  const y = scoreSecrets(s);
  console.log(s, JSON.stringify({ ...y, missed: y.missed.length, falsePositives: y.falsePositives.length }));
}
