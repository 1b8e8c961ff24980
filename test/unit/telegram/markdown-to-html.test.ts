import { describe, expect, it } from 'vitest';
import { markdownToTelegramHtml as md } from '../../../src-main/surfaces/telegram/format/index.ts';
import { randomMarkdown, seededRandom } from '../../helpers/random-markdown.ts';
import { assertTelegramHtml, telegramHtmlProblems, telegramVisibleText } from '../../helpers/telegram-html.ts';

describe('markdownToTelegramHtml: inline', () => {
  it('escapes everything that is not Markdown, including HTML the agent wrote', () => {
    expect(md('a < b && c > d "q" <script>alert(1)</script> <b>x</b>')).toBe(
      'a &lt; b &amp;&amp; c &gt; d "q" &lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;x&lt;/b&gt;',
    );
  });

  it('converts bold, italic, strike and their combinations', () => {
    expect(md('**bold** *it* _it_ __bold__ ~~gone~~ ***both***')).toBe('<b>bold</b> <i>it</i> <i>it</i> <b>bold</b> <s>gone</s> <b><i>both</i></b>');
    expect(md('**bold *nested* text** and *a **b** c*')).toBe('<b>bold <i>nested</i> text</b> and <i>a <b>b</b> c</i>');
    expect(md('**a *b***')).toBe('<b>a <i>b</i></b>');
  });

  it('leaves delimiters that do not pair up, and snake_case, as text', () => {
    expect(md('2 * 3 * 4, snake_case_name, ** not bold **, *unclosed')).toBe('2 * 3 * 4, snake_case_name, ** not bold **, *unclosed');
    expect(md('\\*literal\\* and \\_x\\_')).toBe('*literal* and _x_');
  });

  it('keeps inline code verbatim and escaped', () => {
    expect(md('run `a < b && **c**` now')).toBe('run <code>a &lt; b &amp;&amp; **c**</code> now');
    expect(md('`` a ` b ``')).toBe('<code>a ` b</code>');
  });

  it('never nests code inside other entities (Telegram forbids it)', () => {
    expect(md('**see `x`**')).toBe('<b>see x</b>');
    expect(md('[`code` link](https://a.b/)')).toBe('<a href="https://a.b/">code link</a>');
  });

  it('links only http, https, tg and mailto addresses', () => {
    expect(md('[site](https://example.com/a_b?x=1&y=2)')).toBe('<a href="https://example.com/a_b?x=1&amp;y=2">site</a>');
    expect(md('[me](mailto:me@example.com) [u](tg://user?id=42)')).toBe('<a href="mailto:me@example.com">me</a> <a href="tg://user?id=42">u</a>');
    expect(md('[click](javascript:alert(1)) [doc](docs/README.md) [x](ftp://h/f)')).toBe('click doc x');
    expect(md('<https://auto.link/x>')).toBe('<a href="https://auto.link/x">https://auto.link/x</a>');
    expect(md('[](https://a.b/)')).toBe('<a href="https://a.b/">https://a.b/</a>');
    expect(md('![diagram](https://a.b/d.png)')).toBe('<a href="https://a.b/d.png">diagram</a>');
    expect(md('[a "quote"](https://a.b/"x")')).toBe('a "quote"');
  });
});

describe('markdownToTelegramHtml: blocks', () => {
  it('turns headings into bold lines without doubling bold', () => {
    expect(md('# Title\n## Sub **bold** `code` ##\n#hashtag')).toBe('<b>Title</b>\n<b>Sub bold code</b>\n#hashtag');
  });

  it('renders fenced code as pre, with the language when it is a plain word', () => {
    expect(md('```ts\nconst a = b < c;\n```')).toBe('<pre><code class="language-ts">const a = b &lt; c;</code></pre>');
    expect(md('~~~\nplain *not italic*\n~~~')).toBe('<pre>plain *not italic*</pre>');
    expect(md('```"><script>\nx\n```')).toBe('<pre>x</pre>');
    expect(md('text\n```py\nunclosed\nfence')).toBe('text\n<pre><code class="language-py">unclosed\nfence</code></pre>');
    expect(md('1. step\n   ```sh\n   npm test\n   ```')).toBe('1. step\n<pre><code class="language-sh">npm test</code></pre>');
  });

  it('renders lists as bullet and number lines, nested by indentation', () => {
    expect(md('- one\n  - nested **b**\n* two\n+ three\n- [ ] todo\n- [x] done\n1. first\n2) second')).toBe(
      '• one\n  • nested <b>b</b>\n• two\n• three\n☐ todo\n☑ done\n1. first\n2. second',
    );
  });

  it('renders quotes as blockquote, flattening nested quotes and dropping code and links inside', () => {
    expect(md('> quoted *text* with [link](https://x.y/) and `code`\n> > nested')).toBe(
      '<blockquote>quoted <i>text</i> with link (https://x.y/) and code\nnested</blockquote>',
    );
    const long = Array.from({ length: 13 }, (_, i) => `> line ${i}`).join('\n');
    expect(md(long)).toMatch(/^<blockquote expandable>line 0\n/);
    expect(md('>\n>')).toBe('');
  });

  it('renders tables as an aligned pre block', () => {
    expect(md('| Name | Value |\n|:-----|------:|\n| **a** | 1 |\n| b \\| c | `22` |')).toBe(
      '<pre>Name  | Value\n------+------\na     |     1\nb | c |    22</pre>',
    );
  });

  it('renders horizontal rules and collapses runs of blank lines', () => {
    expect(md('a\n\n\n\n---\n\n\nb\n***\n')).toBe('a\n\n────────\n\nb\n────────');
  });

  it('keeps line breaks inside paragraphs and lets emphasis span them', () => {
    expect(md('line one\n**bold\nacross** lines')).toBe('line one\n<b>bold\nacross</b> lines');
  });

  it('replaces lone surrogates so the request body stays valid UTF-8', () => {
    expect(md('a\ud800b')).toBe('a\ufffdb');
  });
});

describe('markdownToTelegramHtml: hostile input', () => {
  it('always produces valid, balanced Telegram HTML (2000 random documents)', () => {
    for (let seed = 1; seed <= 2000; seed++) {
      const input = randomMarkdown(seededRandom(seed), 5 + (seed % 120));
      const html = md(input);
      const problems = telegramHtmlProblems(html);
      if (problems.length > 0) throw new Error(`seed ${seed}: ${problems.join('; ')}\ninput: ${JSON.stringify(input)}\nhtml: ${html}`);
    }
    expect(telegramHtmlProblems(md(randomMarkdown(seededRandom(7), 5000)))).toEqual([]);
  });

  it('keeps every visible word of the input', () => {
    const input = 'alpha **beta** _gamma_ `delta` [epsilon](https://e.x/) ~~zeta~~\n> eta\n- theta\n| iota | kappa |\n|-|-|\n| lambda | mu |';
    const text = telegramVisibleText(md(input));
    for (const w of ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa', 'lambda', 'mu']) expect(text).toContain(w);
  });

  it('stays fast on pathological input (no quadratic blow-up)', () => {
    const cases = [
      '*a'.repeat(50_000),
      '_a '.repeat(30_000),
      '['.repeat(100_000),
      '[a]('.repeat(20_000),
      `${'['.repeat(20_000)}a${'](https://a.b/)'.repeat(20_000)}`,
      `${'**['.repeat(10_000)}a${'](https://a.b/)**'.repeat(10_000)}`,
      `${'`'.repeat(3) + 'a'.repeat(100_000)}\``,
      '`a'.repeat(50_000),
      `\`${'``a'.repeat(40_000)}`,
      '>'.repeat(100_000),
      `# ${' '.repeat(100_000)}x`,
      '- - '.repeat(30_000),
      `${'|'.repeat(50_000)}\n|-|\n${'|a'.repeat(10_000)}`,
      '**a *b ~~c '.repeat(10_000),
      '<a:'.repeat(30_000),
    ];
    for (const input of cases) {
      // A quadratic blow-up on these would run for minutes and hit the test's timeout; no wall-time
      // assertion, so the result does not depend on the machine's speed.
      assertTelegramHtml(md(input));
    }
  });
});
