/**
 * Division names are organizer free text (dossier §5 "Division names" [CAP]): usually "Gender / Age / Level / Weight"
 * ("Men / Adult (age 15+) / Beginner / -60,0 kg"), sometimes with ">>" separators, localized words
 * ("Masculino / Master 3 (41+) / Roxa / Pena") or fewer parts ("KIDS SUPER FIGHT"). Parts are classified by
 * vocabulary first and by position only when the name has exactly four parts; what stays unknown is kept raw.
 */
import { z } from 'zod';

export const divisionPartsSchema = z.object({
  raw: z.string(),
  parts: z.array(z.string()),
  gender: z.string().nullable(),
  age: z.string().nullable(),
  level: z.string().nullable(),
  weight: z.string().nullable(),
  weight_limit_kg: z.number().nullable(),
  absolute: z.boolean(),
  unclassified: z.array(z.string()),
});
export type DivisionParts = z.infer<typeof divisionPartsSchema>;

// Word lists joined into alternations: the same patterns as one-line literals, kept readable and under 140 columns.
const alt = (words: string): string =>
  words
    .trim()
    .split(/\s*,\s*/)
    .join('|');
const GENDER = new RegExp(
  String.raw`^(${alt(`men, male, males, women, female, females, boys, girls, mixed, masculino, feminino, femenino, herren, damen,
    homme, hommes, femme, femmes, man, woman, kids? (boys|girls)`)})('?s)?\b`,
  'i',
);
const AGE = new RegExp(
  String.raw`\b(${alt(String.raw`adult, adults, master, masters, juvenile, teen, teens, kids?, youth, junior, juniors, senior, seniors,
    cadet, u\d+, \d+\s*\+, \d+\s*-\s*\d+\s*(years|yrs|y), age, years, idade, adulto`)})\b|\(\s*\d+\+?\s*\)|\[\s*\d+`,
  'i',
);
const LEVEL = new RegExp(
  String.raw`\b(${alt(`white, grey, gray, yellow, orange, green, blue, purple, brown, black, branca, cinza, amarela, laranja, verde,
    azul, roxa, marrom, preta, blanco, azul, morado, marr[oó]n, negro, beginner, novice, intermediate, advanced, expert, elite,
    pro, open, rookie, belt, faixa, cintur[oó]n`)})\b`,
  'i',
);
const WEIGHT_WORDS = alt(`absolute, absoluto, open weight, openweight, pena, leve, m[ée]dio, meio[- ]pesado, pesado, super[- ]pesado,
  pesad[ií]ssimo, galo, pluma, rooster, feather, light, middle, heavy, super heavy, ultra heavy`);
const WEIGHT = new RegExp(
  String.raw`(^[-+<>]?\s*\d+([.,]\d+)?\s*(kg|kgs|lbs?|lb)\b)|\b(under|over|up to|até|hasta)\s*\d+([.,]\d+)?\s*(kg|lbs?)\b` +
    String.raw`|\b(${WEIGHT_WORDS})\b|\d+([.,]\d+)?\s*(kg|lbs?)\b`,
  'i',
);

export function parseDivisionName(name: string): DivisionParts {
  const raw = name.replace(/\s+/g, ' ').trim();
  const parts = raw
    .split(/\s*(?:\/|>>|»)\s*/)
    .map((p) => p.trim())
    .filter(Boolean);
  const slots: Record<'gender' | 'age' | 'level' | 'weight', string | null> = { gender: null, age: null, level: null, weight: null };
  const rest: string[] = [];
  // Real names join gender and age or weight in one part ("Boys [15-17 years]", "Men's Absolute" in ADCC's
  // brackets.json): the gender word is split off and the remainder classified like a part of its own.
  const pieces = parts.flatMap((p) => {
    const g = GENDER.exec(p);
    const tail = g ? p.slice(g[0].length).trim() : '';
    return g && tail !== '' ? [g[0].replace(/'s$/i, ''), tail] : [p];
  });
  for (const p of pieces) {
    if (!slots.gender && GENDER.test(p)) slots.gender = p;
    else if (!slots.weight && WEIGHT.test(p) && !LEVEL.test(p.replace(/\bopen weight\b/i, ''))) slots.weight = p;
    else if (!slots.level && LEVEL.test(p) && !AGE.test(p)) slots.level = p;
    else if (!slots.age && AGE.test(p)) slots.age = p;
    else rest.push(p);
  }
  // Positional fallback for the canonical four-part shape: fill empty slots in order from what is left.
  if (parts.length === 4 && rest.length > 0) {
    const order = ['gender', 'age', 'level', 'weight'] as const;
    order.forEach((slot, i) => {
      const p = parts[i];
      if (p !== undefined && slots[slot] === null && rest.includes(p)) {
        slots[slot] = p;
        rest.splice(rest.indexOf(p), 1);
      }
    });
  }
  return {
    raw,
    parts,
    ...slots,
    weight_limit_kg: weightLimitKg(slots.weight),
    absolute: /\b(absolute|absoluto|open weight|openweight)\b/i.test(raw),
    unclassified: rest,
  };
}

/** "-60,0 kg" → 60, "+100,0 kg" → 100 (a lower bound), "Under 225lbs" → 102.06; names without a number → null. */
export function weightLimitKg(weight: string | null): number | null {
  if (!weight) return null;
  const m = /(\d+(?:[.,]\d+)?)\s*(kg|kgs|lbs?|lb)\b/i.exec(weight);
  if (!m) return null;
  const n = Number((m[1] ?? '').replace(',', '.'));
  const kg = /^lb/i.test(m[2] ?? '') ? n * 0.45359237 : n;
  return Math.round(kg * 100) / 100;
}
