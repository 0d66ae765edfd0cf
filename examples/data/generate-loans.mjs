// Writes loans.csv (400 labelled applications) and loans-requests.csv (8 unlabelled ones): a made-up but realistic
// table with an id, text categories, blanks, a class target (defaulted) and a numeric one (interest_rate).
// Seeded: `node examples/data/generate-loans.mjs` always writes the same files.
import { writeFileSync } from 'node:fs';

let state = 20261201;
const random = () => {
  state = (state * 1664525 + 1013904223) >>> 0; // LCG: enough for made-up data
  return state / 2 ** 32;
};
const pick = (items, weights) => {
  let r = random() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < items.length; i++) {
    r -= weights[i];
    if (r < 0) return items[i];
  }
  return items.at(-1);
};
const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
const blank = (value, share) => (random() < share ? '' : value);

function application(id) {
  const age = Math.round(Math.min(75, Math.max(19, 38 + 11 * normal())));
  const income = Math.round(Math.max(12_000, 52_000 * Math.exp(0.45 * normal())) / 100) * 100;
  const home = pick(['RENT', 'MORTGAGE', 'OWN', 'OTHER'], [45, 38, 15, 2]);
  const purpose = pick(
    ['debt_consolidation', 'credit_card', 'home_improvement', 'car', 'medical', 'education'],
    [35, 22, 14, 12, 9, 8],
  );
  const credit = pick(['good', 'fair', 'poor'], [55, 30, 15]);
  const years = Math.max(0, Math.min(40, Math.round((age - 20) * random())));
  const amount = Math.round((2_000 + 30_000 * random() ** 1.5) / 250) * 250;
  const risk =
    -2.2 +
    { good: 0, fair: 0.9, poor: 2 }[credit] +
    (amount / income) * 2.2 -
    years * 0.03 +
    (purpose === 'medical' ? 0.6 : 0) +
    (home === 'OWN' ? -0.4 : 0);
  const defaulted = random() < 1 / (1 + Math.exp(-risk)) ? 'yes' : 'no';
  const rate =
    6.5 + { good: 0, fair: 3.2, poor: 7.5 }[credit] + amount / 12_000 - Math.min(years, 10) * 0.08 + 0.9 * normal();
  return [
    `L${String(id).padStart(5, '0')}`,
    age,
    blank(income, 0.06),
    blank(home, 0.03),
    purpose,
    blank(credit, 0.05),
    blank(years, 0.08),
    amount,
    rate.toFixed(2),
    defaulted,
  ];
}

const header =
  'id,age,income,home_ownership,purpose,credit_history,employment_years,loan_amount,interest_rate,defaulted';
const rows = Array.from({ length: 400 }, (_, i) => application(10_001 + i).join(','));
writeFileSync(new URL('./loans.csv', import.meta.url), `${header}\n${rows.join('\n')}\n`);
const requests = Array.from({ length: 8 }, (_, i) =>
  application(20_001 + i)
    .slice(0, 8)
    .join(','),
);
writeFileSync(
  new URL('./loans-requests.csv', import.meta.url),
  `${header.split(',').slice(0, 8).join(',')}\n${requests.join('\n')}\n`,
);
