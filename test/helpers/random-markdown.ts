/**
 * Seeded random text for fuzz tests: Markdown-ish fragments, HTML-looking junk, entities,
 * emoji and stray surrogates, mixed so that delimiters rarely pair up the "right" way.
 */

/** Deterministic PRNG (mulberry32) so a failing case can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  '*',
  '**',
  '***',
  '_',
  '__',
  '~~',
  '~',
  '`',
  '``',
  '```',
  '```ts\n',
  '~~~',
  '\n```\n',
  '[',
  ']',
  '(',
  ')',
  '](',
  '![',
  'https://example.com/a_b',
  'http://x.y/(p)',
  'javascript:alert(1)',
  'tg://user?id=1',
  'mailto:a@b.c',
  '<https://a.b/c>',
  '<',
  '>',
  '&',
  '&amp;',
  '&lt;',
  '&#x1F600;',
  '&nbsp;',
  '"',
  "'",
  '\\',
  '\\*',
  '#',
  '# ',
  '## ',
  '> ',
  '>> ',
  '- ',
  '* ',
  '+ ',
  '1. ',
  '2) ',
  '- [ ] ',
  '- [x] ',
  '|',
  ' | ',
  '|---|---|',
  '\n|-|-|\n',
  '---',
  '\n---\n',
  '\n',
  '\n\n',
  '\n\n\n',
  ' ',
  '  ',
  '\t',
  'word',
  'snake_case_name',
  'emoji 😀',
  '👨‍👩‍👧',
  'é',
  '\u0000',
  '\ud800',
  '\udc00',
  '<b>',
  '</i>',
  '<pre>',
  '</code>',
  '<a href="x">',
  'class="language-x"',
  ':',
  '!',
  '=',
  'TOKEN=',
  'password: ',
];

/** A random document of about `pieces` fragments. */
export function randomMarkdown(random: () => number, pieces: number): string {
  let out = '';
  for (let i = 0; i < pieces; i++) {
    const r = random();
    if (r < 0.08) out += String.fromCharCode(Math.floor(random() * 0x3000));
    else out += PIECES[Math.floor(random() * PIECES.length)] as string;
  }
  return out;
}
